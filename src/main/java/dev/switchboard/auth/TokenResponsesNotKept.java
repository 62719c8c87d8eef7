package dev.switchboard.auth;

import dev.switchboard.platform.http.FilterOrder;
import dev.switchboard.platform.http.IdempotencyFilter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Set;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Hides {@code Idempotency-Key} from the idempotency filter on the endpoints that answer tokens: a kept response
 * would put a live token pair in the database for a day. These endpoints need no replay: login and exchange open a
 * new session on a retry, and a refresh retried with the same token is answered by the reuse grace window.
 */
@Component
@Order(FilterOrder.IDEMPOTENCY - 1)
class TokenResponsesNotKept extends OncePerRequestFilter {

  static final Set<String> TOKEN_ENDPOINTS = Set.of("/api/auth/login", "/api/auth/refresh", "/api/auth/exchange");

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return request.getHeader(IdempotencyFilter.HEADER) == null || !TOKEN_ENDPOINTS.contains(request.getRequestURI());
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    chain.doFilter(new HttpServletRequestWrapper(request) {
      @Override
      public String getHeader(String name) {
        return IdempotencyFilter.HEADER.equalsIgnoreCase(name) ? null : super.getHeader(name);
      }

      @Override
      public Enumeration<String> getHeaders(String name) {
        return IdempotencyFilter.HEADER.equalsIgnoreCase(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
      }
    }, response);
  }
}
