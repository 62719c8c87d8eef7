package dev.switchboard.auth;

import dev.switchboard.platform.crypto.Digests;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import org.springframework.http.ResponseCookie;

/**
 * Device cookies (OWASP "Slow brute force with device cookies"): after a successful sign-in, or
 * after proving the mailbox with a reset link, the browser gets {@code sb_device}, signed for that
 * address. A login carrying a valid one counts its failures in a bucket of its own, so ten wrong
 * passwords from anywhere else do not lock the owner out. The cookie is {@code <id>.<expiry epoch
 * s>.<HMAC(address|id|expiry)>}: the address is not in it, only bound by the signature, and it
 * works for that address only.
 */
final class SignedDeviceCookies {

  static final String NAME = "sb_device";
  static final Duration LIFETIME = Duration.ofDays(180);
  static final String PATH = "/api/auth";

  private final KeyEncryption keys;
  private final Clock clock;
  private final boolean secure;

  SignedDeviceCookies(KeyEncryption keys, Clock clock, URI publicUrl) {
    this.keys = keys;
    this.clock = clock;
    this.secure = "https".equalsIgnoreCase(publicUrl.getScheme());
  }

  /**
   * A new cookie for {@code address}. Cross-site apps call the API with credentials, hence
   * SameSite=None over https.
   */
  ResponseCookie issue(String address) {
    String id = AuthIds.secret().substring(0, 22);
    long expiry = clock.instant().plus(LIFETIME).getEpochSecond();
    String value = id + "." + expiry + "." + sign(normalize(address), id, expiry);
    return ResponseCookie.from(NAME, value)
        .path(PATH)
        .maxAge(LIFETIME)
        .httpOnly(true)
        .secure(secure)
        .sameSite(secure ? "None" : "Lax")
        .build();
  }

  /** The device id when {@code cookie} is an unexpired cookie issued for {@code address}. */
  Optional<String> trusted(String address, String cookie) {
    if (cookie == null || address == null) {
      return Optional.empty();
    }
    String[] parts = cookie.split("\\.");
    if (parts.length != 3 || parts[0].isEmpty() || parts[0].length() > 64) {
      return Optional.empty();
    }
    long expiry;
    try {
      expiry = Long.parseLong(parts[1]);
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    if (expiry <= clock.instant().getEpochSecond()) {
      return Optional.empty();
    }
    String expected = sign(normalize(address), parts[0], expiry);
    boolean valid =
        Digests.equal(
            expected.getBytes(StandardCharsets.US_ASCII),
            parts[2].getBytes(StandardCharsets.US_ASCII));
    return valid ? Optional.of(parts[0]) : Optional.empty();
  }

  private String sign(String address, String id, long expiry) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(keys.deviceSignature(address + "|" + id + "|" + expiry));
  }

  private static String normalize(String address) {
    return address.strip().toLowerCase(Locale.ROOT);
  }
}
