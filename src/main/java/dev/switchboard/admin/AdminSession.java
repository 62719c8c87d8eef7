package dev.switchboard.admin;

import dev.switchboard.auth.Account;
import dev.switchboard.auth.Accounts;
import dev.switchboard.auth.AdminRoles;
import dev.switchboard.auth.SessionsRevoked;
import dev.switchboard.platform.apikeys.ApiKeyHash;
import dev.switchboard.platform.apikeys.ApiKeyService;
import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.platform.http.Caller;
import dev.switchboard.platform.ids.Ids;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import org.springframework.context.event.EventListener;
import org.springframework.http.ResponseCookie;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Dashboard sign-in with an admin API key. The key itself never goes back to the browser: signing
 * in opens a server-side session and the browser gets a random token in an HttpOnly,
 * SameSite=Strict cookie scoped to {@code /admin} (Secure whenever the public URL is https). Every
 * page re-checks the key behind the session, so revoking the key signs the browser out at once.
 */
class AdminSession {

  static final String COOKIE = "sb_admin";
  static final Duration LIFETIME = Duration.ofHours(8);

  static final String PKCE_COOKIE = "sb_admin_pkce";
  private final ApiKeyService keys;
  private final Accounts accounts;
  private final AdminRoles adminRoles;
  private final AdminSessionStore store;
  private final Clock clock;
  private final boolean secure;

  AdminSession(
      ApiKeyService keys,
      Accounts accounts,
      AdminRoles adminRoles,
      AdminSessionStore store,
      Clock clock,
      SwitchboardConfig config) {
    this.keys = keys;
    this.accounts = accounts;
    this.adminRoles = adminRoles;
    this.store = store;
    this.clock = clock;
    this.secure = "https".equalsIgnoreCase(config.core().publicUrl().getScheme());
  }

  /**
   * Opens a session for a valid key with the {@code admin} scope.
   *
   * @return the {@code Set-Cookie} value, or empty when the key is not an admin key
   */
  Optional<String> signIn(String key) {
    if (key == null || key.isBlank()) {
      return Optional.empty();
    }
    return keys.authenticate(key.trim())
        .filter(c -> c.has(Caller.ADMIN_SCOPE))
        .map(
            caller -> {
              String token = Ids.urlSafe(32);
              Instant now = clock.instant();
              store.insert(
                  ApiKeyHash.of(token), keys.sessionKeyId(caller.id()), now, now.plus(LIFETIME));
              return cookie(token, LIFETIME);
            });
  }

  /**
   * Opens a session for an account signed in with Google or GitHub, when it is an admin: its
   * address is verified and listed in {@code SWITCHBOARD_ADMIN_EMAILS} now (the roles stored with
   * the account may be older than the list).
   *
   * @return the {@code Set-Cookie} value, or empty when the account is not an admin
   */
  Optional<String> signIn(Account account) {
    if (!adminRoles.isAdmin(account)) {
      return Optional.empty();
    }
    String token = Ids.urlSafe(32);
    Instant now = clock.instant();
    store.insertForAccount(ApiKeyHash.of(token), account.id(), now, now.plus(LIFETIME));
    return Optional.of(cookie(token, LIFETIME));
  }

  /**
   * The admin behind the request's session cookie, if the session and its key (or its account's
   * admin role) are still valid: removing an address from the admin list signs that browser out at
   * its next page.
   */
  Optional<Caller> current(HttpServletRequest request) {
    Optional<String> token = token(request);
    Optional<Caller> byKey =
        token
            .flatMap(t -> store.keyIdOf(ApiKeyHash.of(t), clock.instant()))
            .flatMap(keys::callerFor)
            .filter(c -> c.has(Caller.ADMIN_SCOPE));
    if (byKey.isPresent()) {
      return byKey;
    }
    return token
        .flatMap(t -> store.accountIdOf(ApiKeyHash.of(t), clock.instant()))
        .flatMap(accounts::find)
        .filter(adminRoles::isAdmin)
        .map(a -> new Caller(a.id(), Caller.Kind.USER, Set.of(Caller.ADMIN_SCOPE)));
  }

  /**
   * The PKCE verifier cookie of a dashboard sign-in with a provider: Lax, as the provider's
   * redirect brings it back.
   */
  String verifierCookie(String verifier, Duration maxAge) {
    return ResponseCookie.from(PKCE_COOKIE, verifier)
        .httpOnly(true)
        .secure(secure)
        .sameSite("Lax")
        .path("/admin/login")
        .maxAge(maxAge)
        .build()
        .toString();
  }

  static Optional<String> verifier(HttpServletRequest request) {
    Cookie[] cookies = request.getCookies();
    return cookies == null
        ? Optional.empty()
        : Arrays.stream(cookies)
            .filter(
                c ->
                    PKCE_COOKIE.equals(c.getName())
                        && c.getValue() != null
                        && !c.getValue().isBlank())
            .map(Cookie::getValue)
            .findFirst();
  }

  /** Ends the request's session and returns the {@code Set-Cookie} value that clears the cookie. */
  String signOut(HttpServletRequest request) {
    token(request).ifPresent(token -> store.delete(ApiKeyHash.of(token)));
    return cookie("", Duration.ZERO);
  }

  /**
   * "End all sessions" of an account (reset, logout everywhere, Revoke all, takeover) ends its
   * dashboard ones too.
   */
  @EventListener
  void on(SessionsRevoked revoked) {
    store.deleteForAccount(revoked.accountId());
  }

  @Scheduled(fixedDelay = 3_600_000, initialDelay = 60_000)
  void deleteExpired() {
    store.deleteExpired(clock.instant());
  }

  private static Optional<String> token(HttpServletRequest request) {
    Cookie[] cookies = request.getCookies();
    return cookies == null
        ? Optional.empty()
        : Arrays.stream(cookies)
            .filter(
                c -> COOKIE.equals(c.getName()) && c.getValue() != null && !c.getValue().isBlank())
            .map(Cookie::getValue)
            .findFirst();
  }

  private String cookie(String value, Duration maxAge) {
    return ResponseCookie.from(COOKIE, value)
        .httpOnly(true)
        .secure(secure)
        .sameSite("Strict")
        .path("/admin")
        .maxAge(maxAge)
        .build()
        .toString();
  }
}
