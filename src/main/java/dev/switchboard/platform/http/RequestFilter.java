package dev.switchboard.platform.http;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The base of Switchboard's servlet filters: a {@link OncePerRequestFilter} whose "already
 * filtered" request attribute name is built once. Spring's default builds it by string
 * concatenation for every filter on every request, and the container then hashes that new string
 * for each of its three attribute operations; a dozen filters pay it on every request, {@code GET
 * /api/ping} included. Each filter class is registered once, so its class name is unique.
 */
public abstract class RequestFilter extends OncePerRequestFilter {

  private final String alreadyFiltered = getClass().getName() + ALREADY_FILTERED_SUFFIX;

  @Override
  protected String getAlreadyFilteredAttributeName() {
    return alreadyFiltered;
  }
}
