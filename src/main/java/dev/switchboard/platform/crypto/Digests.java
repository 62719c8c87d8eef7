package dev.switchboard.platform.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * SHA-256 and HMAC-SHA256, the two primitives Switchboard hashes and signs with. Both algorithms
 * are in every JDK, so the checked exceptions of the JCA are turned into an {@link
 * IllegalStateException} here, once. Signing and verifying share {@link #hmacSha256}, so tests and
 * dev tools sign with the exact primitive production verifies with; compare signatures with {@link
 * #equal}, never {@code equals}.
 */
public final class Digests {

  private static final HexFormat HEX = HexFormat.of();

  private Digests() {}

  /** SHA-256 of the parts, one after the other. */
  public static byte[] sha256(byte[]... parts) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (byte[] part : parts) {
        digest.update(part);
      }
      return digest.digest();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** SHA-256 of the text's UTF-8 bytes, as lower-case hex. */
  public static String sha256Hex(String text) {
    return HEX.formatHex(sha256(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** SHA-256 of the bytes, as lower-case hex. */
  public static String sha256Hex(byte[] data) {
    return HEX.formatHex(sha256(data));
  }

  /** HMAC-SHA256 of the parts, one after the other, under {@code key}. */
  public static byte[] hmacSha256(byte[] key, byte[]... parts) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      for (byte[] part : parts) {
        mac.update(part);
      }
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  /** HMAC-SHA256 of the text's UTF-8 bytes under the key's UTF-8 bytes. */
  public static byte[] hmacSha256(String key, String text) {
    return hmacSha256(key.getBytes(StandardCharsets.UTF_8), text.getBytes(StandardCharsets.UTF_8));
  }

  /** {@link #hmacSha256(String, String)} as lower-case hex. */
  public static String hmacSha256Hex(String key, String text) {
    return HEX.formatHex(hmacSha256(key, text));
  }

  /** Lower-case hex of the bytes. */
  public static String hex(byte[] bytes) {
    return HEX.formatHex(bytes);
  }

  /** Constant-time comparison, for signatures and hashes of secrets. */
  public static boolean equal(byte[] a, byte[] b) {
    return MessageDigest.isEqual(a, b);
  }
}
