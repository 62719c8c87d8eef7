package dev.switchboard.auth;

import dev.switchboard.platform.http.ApiException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * Password rules and hashing. bcrypt (cost {@value #COST}) rather than Argon2id: on the 2-core
 * machines Switchboard is sized for, Argon2id at OWASP's minimum (19 MiB, 2 passes) runs in pure
 * Java and allocates 19 MiB per login, so a burst of sign-ins becomes memory and GC pressure for
 * the whole service; bcrypt needs 4 KiB and about 60-80 ms of one core, and its one weakness, the
 * 72-byte input limit, is enforced here rather than silently truncated.
 *
 * <p>Rules (NIST SP 800-63B): at least {@value #MIN_LENGTH} characters, at most {@value #MAX_BYTES}
 * bytes in UTF-8 (bcrypt ignores the rest) and {@value #MAX_CHARS} characters, not a commonly
 * breached password, not the email address. No composition rules: they make passwords harder to
 * remember, not to guess.
 */
final class Passwords {

  static final int COST = 10;
  static final int MIN_LENGTH = 8;
  static final int MAX_BYTES = 72;
  static final int MAX_CHARS = 128;

  private final BCryptPasswordEncoder encoder = new BCryptPasswordEncoder(COST);
  private final Set<String> common = load();

  /**
   * Compared against when there is no account or no password, so a miss costs what a hit costs. A
   * fixed bcrypt hash (cost {@value #COST}) of a random password nobody kept: the comparison's
   * result is thrown away, only its work counts, and a constant saves hashing one at every start.
   */
  private static final String DECOY =
      "$2a$10$AZ5YKxTO1qBeLMKHUbISyuE0tPwbdX7erABIvLjPadwrdHnkzYCrO";

  /**
   * @throws ApiException 400 on field {@code password}: {@code password_required}, {@code
   *     password_too_short}, {@code password_too_long}, {@code password_too_common}
   */
  void checkAcceptable(String password, String email) {
    if (password == null || password.isEmpty()) {
      throw refused("password_required", "A password is required.");
    }
    if (password.length() > MAX_CHARS
        || password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      throw refused(
          "password_too_long",
          "The password is too long: at most "
              + MAX_BYTES
              + " bytes ("
              + MAX_BYTES
              + " plain letters or digits; accented letters and emoji take 2-4 bytes each).");
    }
    if (password.codePointCount(0, password.length()) < MIN_LENGTH) {
      throw refused(
          "password_too_short", "The password must have at least " + MIN_LENGTH + " characters.");
    }
    String lower = password.toLowerCase(Locale.ROOT);
    if (common.contains(lower)
        || (email != null && lower.equals(email.toLowerCase(Locale.ROOT)))
        || lower.chars().distinct().count() < 3) {
      throw refused(
          "password_too_common", "This password is too easy to guess; choose another one.");
    }
  }

  String hash(String password) {
    return encoder.encode(password);
  }

  /** Constant work whether or not there is a hash to compare with. */
  boolean matches(String password, String hash) {
    if (password == null || password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      encoder.matches("x", DECOY);
      return false;
    }
    if (hash == null) {
      encoder.matches(password, DECOY);
      return false;
    }
    return encoder.matches(password, hash);
  }

  private static ApiException refused(String code, String message) {
    return new ApiException(400, code, message, false, "password", Map.of());
  }

  private static Set<String> load() {
    Set<String> words = new HashSet<>();
    try (InputStream in =
        Passwords.class.getClassLoader().getResourceAsStream("auth/common-passwords.txt")) {
      if (in == null) {
        throw new IllegalStateException("auth/common-passwords.txt is missing from the classpath");
      }
      new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))
          .lines()
          .map(String::trim)
          .filter(l -> !l.isEmpty() && !l.startsWith("#"))
          .forEach(words::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Set.copyOf(words);
  }
}
