package dev.switchboard.platform.apikeys;

import java.math.BigInteger;
import java.security.SecureRandom;

/**
 * Makes new key secrets ({@code sk_} + 43 base62 characters carrying 32 random bytes) and key ids
 * ({@code key_} + 22 base62 characters carrying 16 random bytes). Base62 keeps keys free of
 * characters that need quoting in shells, URLs or headers, and double-clicking selects the whole
 * key.
 */
public final class ApiKeyGenerator {

  public static final String SECRET_PREFIX = "sk_";
  public static final String ID_PREFIX = "key_";
  static final int SECRET_BYTES = 32;
  static final int ID_BYTES = 16;

  /** Characters needed for 256 bits in base62: ceil(256 / log2(62)). */
  static final int SECRET_CHARS = 43;

  static final int ID_CHARS = 22;

  /**
   * Random characters kept in the display prefix: enough to tell keys apart, far too few to help
   * guess one.
   */
  static final int DISPLAY_CHARS = 4;

  private static final String ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  private static final BigInteger BASE = BigInteger.valueOf(62);

  private final SecureRandom random;

  public ApiKeyGenerator(SecureRandom random) {
    this.random = random;
  }

  /** A new secret key. */
  public String newSecret() {
    return SECRET_PREFIX + base62(randomBytes(SECRET_BYTES), SECRET_CHARS);
  }

  /** A new key id. */
  public String newId() {
    return ID_PREFIX + base62(randomBytes(ID_BYTES), ID_CHARS);
  }

  /** What lists show instead of the key: {@code sk_} and the first few random characters. */
  public static String displayPrefix(String secret) {
    return secret.substring(0, Math.min(secret.length(), SECRET_PREFIX.length() + DISPLAY_CHARS));
  }

  /**
   * Whether {@code token} has the shape of a key this generator makes; cheap to check before any
   * lookup.
   */
  public static boolean wellFormed(String token) {
    if (token == null
        || token.length() != SECRET_PREFIX.length() + SECRET_CHARS
        || !token.startsWith(SECRET_PREFIX)) {
      return false;
    }
    for (int i = SECRET_PREFIX.length(); i < token.length(); i++) {
      if (ALPHABET.indexOf(token.charAt(i)) < 0) {
        return false;
      }
    }
    return true;
  }

  private byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    random.nextBytes(bytes);
    return bytes;
  }

  /**
   * Big-endian base62 of {@code bytes}, left-padded with '0' to {@code width} so every key has the
   * same length.
   */
  static String base62(byte[] bytes, int width) {
    BigInteger value = new BigInteger(1, bytes);
    StringBuilder out = new StringBuilder();
    while (value.signum() > 0) {
      BigInteger[] qr = value.divideAndRemainder(BASE);
      out.append(ALPHABET.charAt(qr[1].intValue()));
      value = qr[0];
    }
    while (out.length() < width) {
      out.append('0');
    }
    return out.reverse().toString();
  }
}
