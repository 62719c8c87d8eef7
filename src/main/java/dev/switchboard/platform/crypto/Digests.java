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

  /**
   * One HMAC-SHA256 instance per thread, kept keyed: looking the algorithm up among the providers
   * and setting a key up cost more than signing a short text, and the hot paths (presigned URLs,
   * webhook signatures) sign under the same few keys again and again.
   */
  private static final ThreadLocal<KeyedMac> MACS = ThreadLocal.withInitial(KeyedMac::new);

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
    Mac mac = MACS.get().under(key);
    for (byte[] part : parts) {
      mac.update(part);
    }
    return mac.doFinal();
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

  /** A thread's HMAC-SHA256 and the key it was last set up with. */
  private static final class KeyedMac {
    private final Mac mac;
    private byte[] key;

    KeyedMac() {
      try {
        mac = Mac.getInstance("HmacSHA256");
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
      }
    }

    /** The Mac, reset and set up with {@code key} (set up again only when the key changed). */
    Mac under(byte[] key) {
      if (this.key != null && MessageDigest.isEqual(this.key, key)) {
        mac.reset();
        return mac;
      }
      try {
        this.key = null;
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        this.key = key.clone();
        return mac;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
      }
    }
  }
}
