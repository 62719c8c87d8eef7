package dev.switchboard.platform.apikeys;

import dev.switchboard.platform.crypto.Digests;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The stored form of a key: SHA-256 of the whole key, hex encoded.
 *
 * <p>A fast unsalted hash is enough here, unlike for passwords: keys carry 256 bits from {@code
 * SecureRandom}, so there is no dictionary to try and brute force over the key space is out of
 * reach, salted or not. A fast hash also keeps a lookup by hash (unique index) possible, which a
 * per-row salt would rule out.
 */
public final class ApiKeyHash {

  private ApiKeyHash() {}

  /** The 64-character lowercase hex SHA-256 of {@code key}. */
  public static String of(String key) {
    return Digests.sha256Hex(key);
  }

  /**
   * Compares two hashes in constant time. The index lookup already matched them, but comparing
   * again without an early exit keeps the final decision free of timing differences whatever the
   * database does.
   */
  public static boolean matches(String expected, String actual) {
    if (expected == null || actual == null) {
      return false;
    }
    return MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.US_ASCII), actual.getBytes(StandardCharsets.US_ASCII));
  }
}
