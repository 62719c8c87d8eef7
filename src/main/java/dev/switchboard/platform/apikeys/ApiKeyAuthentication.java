package dev.switchboard.platform.apikeys;

import dev.switchboard.platform.http.ApiException;
import dev.switchboard.platform.http.Caller;
import dev.switchboard.platform.http.CallerGuard;
import dev.switchboard.platform.http.ErrorResponses;
import dev.switchboard.platform.http.FilterOrder;
import dev.switchboard.platform.http.RequestFilter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;

/**
 * Turns {@code Authorization: Bearer sk_…} into a {@link Caller}. A key that is unknown, malformed
 * or revoked is answered with 401 {@code invalid_api_key} here, before anything else runs. Requests
 * without a bearer token, and bearer tokens that are not API keys (user JWTs), pass through
 * untouched: whether a route needs a key is decided by {@link RequiresScope}.
 */
@Order(FilterOrder.AUTHENTICATION)
public class ApiKeyAuthentication extends RequestFilter {

  static final String CHALLENGE = "Bearer";
  static final String INVALID_KEY = ApiKeyAuthentication.class.getName() + ".invalid";

  private final ApiKeyService keys;
  private final ErrorResponses errors;

  public ApiKeyAuthentication(ApiKeyService keys, ErrorResponses errors) {
    this.keys = keys;
    this.errors = errors;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String token = CallerGuard.bearerToken(request).orElse(null);
    if (token == null || !keys.recognizes(token)) {
      chain.doFilter(request, response);
      return;
    }
    Optional<Caller> caller = keys.authenticate(token);
    if (caller.isEmpty()) {
      // Answered 401 by InvalidKeyRejection, after the rate limit has counted the request against
      // the client's
      // address: wrong keys must not be a way around the limit.
      request.setAttribute(INVALID_KEY, Boolean.TRUE);
      chain.doFilter(request, response);
      return;
    }
    request.setAttribute(Caller.ATTRIBUTE, caller.get());
    chain.doFilter(request, response);
  }

  static ApiException invalidKey() {
    return new ApiException(
        401,
        "invalid_api_key",
        "The API key is invalid or has been revoked.",
        false,
        null,
        Map.of(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE));
  }
}
