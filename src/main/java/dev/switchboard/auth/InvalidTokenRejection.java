package dev.switchboard.auth;

import dev.switchboard.platform.http.ApiException;
import dev.switchboard.platform.http.ErrorResponses;
import dev.switchboard.platform.http.FilterOrder;
import dev.switchboard.platform.http.RefusingFilter;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.annotation.Order;

/**
 * Answers 401 {@code invalid_token} for a request whose access token did not verify, after the rate
 * limit ran.
 */
@Order(FilterOrder.CREDENTIAL_REJECTION + 1)
class InvalidTokenRejection extends RefusingFilter {

  InvalidTokenRejection(ErrorResponses errors) {
    super(errors);
  }

  @Override
  protected ApiException refusal(HttpServletRequest request) {
    return request.getAttribute(AccessTokenAuthentication.INVALID) instanceof AuthException e
        ? e
        : null;
  }
}
