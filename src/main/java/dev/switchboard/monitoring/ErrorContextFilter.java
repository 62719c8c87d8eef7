package dev.switchboard.monitoring;

import dev.switchboard.platform.http.FilterOrder;
import dev.switchboard.platform.http.RequestFilter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.annotation.Order;

/**
 * Starts every request with an empty breadcrumb trail and clears it afterwards, because servlet
 * threads are pooled: without this, an error would carry the outbound calls of earlier, unrelated
 * requests.
 */
@Order(FilterOrder.REQUEST_ID + 1)
public class ErrorContextFilter extends RequestFilter {

  private final BreadcrumbTrail trail;

  public ErrorContextFilter(BreadcrumbTrail trail) {
    this.trail = trail;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    trail.clear();
    try {
      chain.doFilter(request, response);
    } finally {
      trail.clear();
    }
  }
}
