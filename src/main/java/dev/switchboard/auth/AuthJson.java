package dev.switchboard.auth;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;

/**
 * The JSON shapes of accounts and token pairs, shared by every route that answers them (login,
 * refresh, exchange).
 */
public final class AuthJson {

  private AuthJson() {}

  /** {@code {id, email, emailVerified, name, roles, createdAt}}. */
  public static Map<String, Object> user(Account account) {
    Map<String, Object> user = new LinkedHashMap<>();
    user.put("id", account.id());
    user.put("email", account.email());
    user.put("emailVerified", account.emailVerified());
    user.put("name", account.name().orElse(null));
    user.put("roles", List.copyOf(new TreeSet<>(account.roles())));
    user.put("createdAt", account.createdAt().toString());
    return user;
  }

  /** {@code {accessToken, refreshToken, tokenType, expiresIn, user}}. */
  /**
   * A token pair as an answer: {@code Cache-Control: no-store} keeps it out of caches (RFC 6749
   * §5.1) and out of the idempotency store, which never writes down a no-store response.
   */
  public static ResponseEntity<Map<String, Object>> tokenResponse(SessionTokens tokens) {
    return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(tokens(tokens));
  }

  public static Map<String, Object> tokens(SessionTokens tokens) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("accessToken", tokens.accessToken());
    body.put("refreshToken", tokens.refreshToken());
    body.put("tokenType", "Bearer");
    body.put("expiresIn", tokens.expiresIn());
    body.put("user", user(tokens.user()));
    return body;
  }
}
