package dev.switchboard.auth;

import dev.switchboard.platform.http.Caller;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpHeaders;

/** What sign-in routes read from a request: the client, the signed-in account and its session. */
public final class AuthRequests {

  private AuthRequests() {}

  /** The client address (already taken from {@code X-Forwarded-For} behind a trusted proxy) and user agent. */
  public static ClientInfo client(HttpServletRequest request) {
    return new ClientInfo(request.getRemoteAddr(), request.getHeader(HttpHeaders.USER_AGENT));
  }

  /**
   * The signed-in account's id.
   *
   * @throws AuthException 401 {@code unauthenticated} when the request carries no bearer token, 401
   *     {@code invalid_token} when it carries one that is not a user's access token
   */
  public static String accountId(HttpServletRequest request) {
    Optional<Caller> user = Caller.of(request).filter(c -> c.kind() == Caller.Kind.USER);
    if (user.isPresent()) {
      return user.get().id();
    }
    if (AccessTokenAuthentication.bearerToken(request) != null) {
      // A bearer value that is not an access token at all (nor an API key, which is not a user).
      throw AccessTokens.invalid("The access token is malformed.");
    }
    throw new AuthException(401, "unauthenticated", "Sign in first: send the access token as "
        + "Authorization: Bearer <token>.", Map.of(HttpHeaders.WWW_AUTHENTICATE, "Bearer"));
  }

  /** The session of the request's access token, when it came with one. */
  public static Optional<String> sessionId(HttpServletRequest request) {
    return Optional.ofNullable((AccessClaims) request.getAttribute(AccessClaims.class.getName()))
        .map(AccessClaims::sessionId);
  }
}
