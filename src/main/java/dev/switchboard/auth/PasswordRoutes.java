package dev.switchboard.auth;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.CookieValue;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/auth/register}, {@code /login}, {@code /verify-email}, {@code /password-reset},
 * {@code /password-reset/confirm} and {@code /password} (change the signed-in account's password).
 */
@RestController
class PasswordRoutes {

  private final EmailPasswordSignIn signIn;
  private final SignedDeviceCookies devices;

  PasswordRoutes(EmailPasswordSignIn signIn, SignedDeviceCookies devices) {
    this.signIn = signIn;
    this.devices = devices;
  }

  record RegisterRequest(String email, String password, String name) {}

  record LoginRequest(String email, String password) {}

  record TokenRequest(String token) {}

  record ResetRequest(String email) {}

  record ConfirmRequest(String token, String password) {}

  record ChangeRequest(String currentPassword, String newPassword) {}

  /** 202 whether or not the address was free: the answer must not tell. */
  @PostMapping("/api/auth/register")
  ResponseEntity<Map<String, Object>> register(@RequestBody RegisterRequest body) {
    signIn.register(body.email(), body.password(), body.name());
    return ResponseEntity.accepted()
        .body(
            Map.of(
                "status",
                "verification_sent",
                "message",
                "Check your inbox to confirm the address, then sign in."));
  }

  @PostMapping("/api/auth/login")
  ResponseEntity<Map<String, Object>> login(
      @RequestBody LoginRequest body,
      HttpServletRequest request,
      @CookieValue(name = SignedDeviceCookies.NAME, required = false) String deviceCookie) {
    SessionTokens tokens =
        signIn.login(
            body.email(),
            body.password(),
            AuthRequests.client(request),
            address -> devices.trusted(address, deviceCookie));
    return ResponseEntity.ok()
        .cacheControl(CacheControl.noStore())
        .header(HttpHeaders.SET_COOKIE, devices.issue(tokens.user().email()).toString())
        .body(AuthJson.tokens(tokens));
  }

  @PostMapping("/api/auth/verify-email")
  Map<String, Object> verifyEmail(@RequestBody TokenRequest body) {
    return Map.of("status", "verified", "user", AuthJson.user(signIn.verifyEmail(body.token())));
  }

  @PostMapping("/api/auth/password-reset")
  ResponseEntity<Map<String, Object>> requestReset(@RequestBody ResetRequest body) {
    signIn.requestReset(body.email());
    return ResponseEntity.accepted()
        .body(
            Map.of(
                "status",
                "reset_sent",
                "message",
                "If an account uses this address, a reset link is on its way."));
  }

  /** Signed in: a new password; every other session of the account ends. */
  @PostMapping("/api/auth/password")
  Map<String, Object> changePassword(@RequestBody ChangeRequest body, HttpServletRequest request) {
    signIn.changePassword(
        AuthRequests.accountId(request),
        body.currentPassword(),
        body.newPassword(),
        AuthRequests.sessionId(request).orElse(null));
    return Map.of("status", "password_changed");
  }

  @PostMapping("/api/auth/password-reset/confirm")
  ResponseEntity<Map<String, Object>> confirmReset(@RequestBody ConfirmRequest body) {
    String address = signIn.confirmReset(body.token(), body.password());
    // The mailbox is proven: this browser is trusted for the address, so a lockout by others does
    // not hold it back.
    return ResponseEntity.ok()
        .header(HttpHeaders.SET_COOKIE, devices.issue(address).toString())
        .body(Map.of("status", "password_changed"));
  }
}
