package dev.switchboard.platform.http;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpHeaders;

/**
 * The one answer to "who is calling?" for a route. The authentication filters resolve the {@link
 * Caller} once per request (an API key, or a user's access token) and set it on the request; routes
 * and services never read the {@code Authorization} header themselves, they ask this guard, so
 * every refusal is the same 401 or 403:
 *
 * <ul>
 *   <li>401 {@code unauthenticated} (with {@code WWW-Authenticate: Bearer}): nobody, or not the
 *       kind of caller the route serves;
 *   <li>401 {@code invalid_token}: a bearer value that is neither a user's access token nor an API
 *       key;
 *   <li>401 {@code missing_api_key}: nobody, on a route only API keys with a scope may call
 *       ({@code @RequiresScope});
 *   <li>403 {@code insufficient_scope}: an API key without the scope the route needs.
 * </ul>
 *
 * <pre>{@code
 * String accountId = CallerGuard.user(request).id();                     // signed-in users only
 * String owner = CallerGuard.userOrKey(request, Scopes.FILES_WRITE).id(); // users, or keys with the scope
 * }</pre>
 */
public final class CallerGuard {

  private static final String BEARER = "bearer ";

  private CallerGuard() {}

  /**
   * The token of the request's {@code Authorization: Bearer} header (scheme case-insensitive, RFC
   * 9110 section 11.1), trimmed; empty when there is none. The one place the header is parsed.
   */
  public static Optional<String> bearerToken(HttpServletRequest request) {
    return bearerToken(request.getHeader(HttpHeaders.AUTHORIZATION));
  }

  /** {@link #bearerToken(HttpServletRequest)} for a header value already read (may be null). */
  public static Optional<String> bearerToken(String authorization) {
    if (authorization == null
        || authorization.length() <= BEARER.length()
        || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return Optional.empty();
    }
    String token = authorization.substring(BEARER.length()).trim();
    return token.isEmpty() ? Optional.empty() : Optional.of(token);
  }

  /**
   * The signed-in user.
   *
   * @throws ApiException 401 {@code invalid_token} when a bearer value came that is not a user's
   *     access token, 401 {@code unauthenticated} otherwise
   */
  public static Caller user(HttpServletRequest request) {
    Optional<Caller> caller = Caller.of(request);
    if (caller.filter(c -> c.kind() == Caller.Kind.USER).isEmpty()
        && bearerToken(request).isPresent()) {
      throw new ApiException(
          401,
          "invalid_token",
          "The access token is malformed.",
          false,
          null,
          Map.of(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\""));
    }
    return user(caller);
  }

  /**
   * The signed-in user among an already resolved caller, for services handed one.
   *
   * @throws ApiException 401 {@code unauthenticated} when the caller is absent or not a user
   */
  public static Caller user(Optional<Caller> caller) {
    return caller
        .filter(c -> c.kind() == Caller.Kind.USER)
        .orElseThrow(
            () ->
                unauthenticated(
                    "Sign in first: send the access token as Authorization: Bearer <token>."));
  }

  /**
   * A signed-in user, or an API key holding {@code scope}.
   *
   * @throws ApiException 401 {@code unauthenticated}, 403 {@code insufficient_scope}
   */
  public static Caller userOrKey(HttpServletRequest request, String scope) {
    Caller caller =
        Caller.of(request)
            .filter(c -> c.kind() != Caller.Kind.ANONYMOUS)
            .orElseThrow(
                () -> unauthenticated("Sign in, or send an API key with the " + scope + " scope."));
    if (caller.kind() == Caller.Kind.API_KEY && !caller.has(scope)) {
      throw new ApiException(
          403, "insufficient_scope", "This API key lacks the " + scope + " scope.");
    }
    return caller;
  }

  /**
   * A caller holding {@code scope} (an API key with it, or an admin), for routes marked
   * {@code @RequiresScope}.
   *
   * @throws ApiException 401 {@code missing_api_key}, 403 {@code insufficient_scope}
   */
  public static Caller withScope(HttpServletRequest request, String scope) {
    Caller caller =
        Caller.of(request)
            .filter(c -> c.kind() != Caller.Kind.ANONYMOUS)
            .orElseThrow(
                () ->
                    new ApiException(
                        401,
                        "missing_api_key",
                        "This endpoint needs an API key: send Authorization: Bearer sk_… with the "
                            + scope
                            + " scope.",
                        false,
                        null,
                        Map.of(HttpHeaders.WWW_AUTHENTICATE, "Bearer")));
    if (!caller.has(scope)) {
      throw new ApiException(
          403, "insufficient_scope", "This API key lacks the " + scope + " scope needed here.");
    }
    return caller;
  }

  private static ApiException unauthenticated(String message) {
    return new ApiException(
        401,
        "unauthenticated",
        message,
        false,
        null,
        Map.of(HttpHeaders.WWW_AUTHENTICATE, "Bearer"));
  }
}
