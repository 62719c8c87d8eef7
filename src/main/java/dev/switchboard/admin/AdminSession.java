package dev.switchboard.admin;

import dev.switchboard.platform.apikeys.ApiKeyService;
import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.platform.http.Caller;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import org.springframework.http.ResponseCookie;
import org.springframework.stereotype.Component;

/**
 * Dashboard sign-in: the admin API key is kept in an HttpOnly, SameSite=Strict cookie scoped to {@code /admin} and
 * checked on every page, so revoking the key signs the browser out at once. Secure whenever the public URL is https.
 */
@Component
class AdminSession {

  static final String COOKIE = "sb_admin";
  private static final Duration LIFETIME = Duration.ofHours(8);

  private final ApiKeyService keys;
  private final boolean secure;

  AdminSession(ApiKeyService keys, SwitchboardConfig config) {
    this.keys = keys;
    this.secure = "https".equalsIgnoreCase(config.core().publicUrl().getScheme());
  }

  /** The admin caller for this key, if it is a valid key with the {@code admin} scope. */
  Optional<Caller> admin(String key) {
    return key == null || key.isBlank() ? Optional.empty()
        : keys.authenticate(key.trim()).filter(c -> c.has(Caller.ADMIN_SCOPE));
  }

  Optional<Caller> current(HttpServletRequest request) {
    Cookie[] cookies = request.getCookies();
    if (cookies == null) {
      return Optional.empty();
    }
    return Arrays.stream(cookies).filter(c -> COOKIE.equals(c.getName())).findFirst().flatMap(c -> admin(c.getValue()));
  }

  String signIn(String key) {
    return cookie(key.trim(), LIFETIME).toString();
  }

  String signOut() {
    return cookie("", Duration.ZERO).toString();
  }

  private ResponseCookie cookie(String value, Duration maxAge) {
    return ResponseCookie.from(COOKIE, value).httpOnly(true).secure(secure).sameSite("Strict").path("/admin")
        .maxAge(maxAge).build();
  }
}
