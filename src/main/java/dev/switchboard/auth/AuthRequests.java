package dev.switchboard.auth;

import dev.switchboard.platform.http.CallerGuard;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import org.springframework.http.HttpHeaders;

/** What sign-in routes read from a request: the client, the signed-in account and its session. */
public final class AuthRequests {

  private AuthRequests() {}

  /**
   * The client address (already taken from {@code X-Forwarded-For} behind a trusted proxy) and user
   * agent.
   */
  public static ClientInfo client(HttpServletRequest request) {
    return new ClientInfo(request.getRemoteAddr(), request.getHeader(HttpHeaders.USER_AGENT));
  }

  /**
   * The signed-in account's id, from {@link CallerGuard#user(HttpServletRequest)}.
   *
   * @throws dev.switchboard.platform.http.ApiException 401 {@code unauthenticated} when the request
   *     carries no bearer token, 401 {@code invalid_token} when it carries one that is not a user's
   *     access token
   */
  public static String accountId(HttpServletRequest request) {
    return CallerGuard.user(request).id();
  }

  /** The session of the request's access token, when it came with one. */
  public static Optional<String> sessionId(HttpServletRequest request) {
    return Optional.ofNullable((AccessClaims) request.getAttribute(AccessClaims.class.getName()))
        .map(AccessClaims::sessionId);
  }
}
