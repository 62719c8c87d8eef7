package dev.switchboard.platform.http;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A filter that answers some requests with an error, written by {@link ErrorResponses} in the one
 * shape every error has, and passes the others on. Each subclass states only which requests it
 * refuses and with what.
 */
public abstract class RefusingFilter extends OncePerRequestFilter {

  private final ErrorResponses errors;

  protected RefusingFilter(ErrorResponses errors) {
    this.errors = errors;
  }

  /** The error to answer this request with, or null to pass it on. */
  protected abstract ApiException refusal(HttpServletRequest request);

  @Override
  protected final void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    ApiException refusal = refusal(request);
    if (refusal != null) {
      errors.write(request, response, refusal);
      return;
    }
    chain.doFilter(request, response);
  }
}
