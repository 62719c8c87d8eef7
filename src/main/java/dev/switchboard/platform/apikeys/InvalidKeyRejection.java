package dev.switchboard.platform.apikeys;

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
 * Answers 401 {@code invalid_api_key} for a request whose {@code sk_} key did not authenticate, on
 * every route. It runs after the rate limit, which counted the request as an anonymous one, so a
 * client sending wrong keys is limited like any other.
 */
@Order(FilterOrder.CREDENTIAL_REJECTION)
public class InvalidKeyRejection extends RequestFilter {

  private final ErrorResponses errors;

  public InvalidKeyRejection(ErrorResponses errors) {
    this.errors = errors;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (Boolean.TRUE.equals(request.getAttribute(ApiKeyAuthentication.INVALID_KEY))) {
      errors.write(request, response, ApiKeyAuthentication.invalidKey());
      return;
    }
    chain.doFilter(request, response);
  }
}
