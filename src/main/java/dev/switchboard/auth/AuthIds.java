package dev.switchboard.auth;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Ids and secrets of the auth area, from one {@link SecureRandom}. */
final class AuthIds {

  private static final SecureRandom RANDOM = new SecureRandom();

  private AuthIds() {}

  static String account() {
    return "usr_" + hex(12);
  }

  static String session() {
    return "ses_" + hex(12);
  }

  static String key() {
    return "key-" + hex(8);
  }

  /** 256 random bits, URL-safe: refresh tokens and mailed tokens. */
  static String secret() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** SHA-256 hex: how refresh and mailed tokens are stored, so reading the tables does not let anyone sign in. */
  static String hash(String token) {
    try {
      return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(token.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
