package dev.switchboard.auth;

import dev.switchboard.platform.http.Caller;
import dev.switchboard.platform.http.CallerGuard;
import dev.switchboard.platform.http.FilterOrder;
import dev.switchboard.platform.http.RequestFilter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import org.springframework.core.annotation.Order;

/**
 * Turns {@code Authorization: Bearer <access JWT>} into a {@link Caller} of kind {@code USER} whose
 * id is the account id ({@code sub}); an account with the {@code admin} role gets the {@code admin}
 * scope. Runs beside the API-key filter, which leaves tokens that are not {@code sk_…} keys alone.
 * A token that does not verify, or whose session has ended, is answered 401 {@code invalid_token}
 * by {@link InvalidTokenRejection}, after the rate limit counted the request.
 *
 * <p>Only {@code /api/**} reads access tokens; the dashboard, actuator and pages do not. The
 * sign-in endpoints themselves ignore the header: an app refreshing because its access token
 * expired often still sends the expired token, and must not be refused for it.
 */
@Order(FilterOrder.AUTHENTICATION + 2)
class AccessTokenAuthentication extends RequestFilter {

  static final String INVALID = AccessTokenAuthentication.class.getName() + ".invalid";
  private static final Set<String> IGNORING_BEARER =
      Set.of(
          "/api/auth/refresh",
          "/api/auth/login",
          "/api/auth/register",
          "/api/auth/verify-email",
          "/api/auth/password-reset",
          "/api/auth/password-reset/confirm",
          "/api/auth/exchange",
          "/.well-known/jwks.json");

  private final AccessTokens tokens;
  private final Sessions sessions;

  AccessTokenAuthentication(AccessTokens tokens, Sessions sessions) {
    this.tokens = tokens;
    this.sessions = sessions;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String token = CallerGuard.bearerToken(request).orElse(null);
    // Only /api/** reads access tokens: the dev identity provider's userinfo (/dev/oauth/…) takes
    // its own tokens,
    // like Google's or GitHub's would, and the dashboard and actuator ignore the header.
    if (token == null
        || !looksLikeJwt(token)
        || Caller.of(request).isPresent()
        || !request.getRequestURI().startsWith("/api/")
        || IGNORING_BEARER.contains(request.getRequestURI())) {
      chain.doFilter(request, response);
      return;
    }
    try {
      AccessClaims claims = tokens.verify(token);
      if (!sessions.live(claims.sessionId())) {
        throw AccessTokens.invalid("The session has ended; sign in again.");
      }
      request.setAttribute(AccessClaims.class.getName(), claims);
      request.setAttribute(
          Caller.ATTRIBUTE,
          new Caller(
              claims.accountId(),
              Caller.Kind.USER,
              claims.roles().contains(AdminRoles.ADMIN) ? Set.of(Caller.ADMIN_SCOPE) : Set.of()));
    } catch (AuthException e) {
      request.setAttribute(INVALID, e);
    }
    chain.doFilter(request, response);
  }

  /**
   * A compact JWS ({@code header.payload.signature}). Other bearer values (API keys, other schemes'
   * tokens) are left to whoever reads them; a user endpoint given one answers 401 {@code
   * invalid_token} (see {@link AuthRequests}).
   */
  static boolean looksLikeJwt(String token) {
    if (token.startsWith("sk_")) {
      return false;
    }
    // Two dots exactly, found by indexOf (a stream over the token's characters cost more than the
    // rest of this filter).
    int first = token.indexOf('.');
    int second = first < 0 ? -1 : token.indexOf('.', first + 1);
    return second >= 0 && token.indexOf('.', second + 1) < 0;
  }
}
