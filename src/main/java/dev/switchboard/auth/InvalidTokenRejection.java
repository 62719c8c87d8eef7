package dev.switchboard.auth;

import dev.switchboard.platform.http.ErrorResponses;
import dev.switchboard.platform.http.FilterOrder;
import dev.switchboard.platform.http.RequestFilter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.annotation.Order;

/**
 * Answers 401 {@code invalid_token} for a request whose access token did not verify, after the rate
 * limit ran.
 */
@Order(FilterOrder.CREDENTIAL_REJECTION + 1)
class InvalidTokenRejection extends RequestFilter {

  private final ErrorResponses errors;

  InvalidTokenRejection(ErrorResponses errors) {
    this.errors = errors;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (request.getAttribute(AccessTokenAuthentication.INVALID) instanceof AuthException e) {
      errors.write(request, response, e);
      return;
    }
    chain.doFilter(request, response);
  }
}
