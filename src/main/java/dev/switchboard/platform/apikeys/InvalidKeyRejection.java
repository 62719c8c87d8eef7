package dev.switchboard.platform.apikeys;

import dev.switchboard.platform.http.ApiException;
import dev.switchboard.platform.http.ErrorResponses;
import dev.switchboard.platform.http.FilterOrder;
import dev.switchboard.platform.http.RefusingFilter;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.annotation.Order;

/**
 * Answers 401 {@code invalid_api_key} for a request whose {@code sk_} key did not authenticate, on
 * every route. It runs after the rate limit, which counted the request as an anonymous one, so a
 * client sending wrong keys is limited like any other.
 */
@Order(FilterOrder.CREDENTIAL_REJECTION)
public class InvalidKeyRejection extends RefusingFilter {

  public InvalidKeyRejection(ErrorResponses errors) {
    super(errors);
  }

  @Override
  protected ApiException refusal(HttpServletRequest request) {
    return Boolean.TRUE.equals(request.getAttribute(ApiKeyAuthentication.INVALID_KEY))
        ? ApiKeyAuthentication.invalidKey()
        : null;
  }
}
