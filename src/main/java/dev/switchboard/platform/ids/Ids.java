package dev.switchboard.platform.ids;

import dev.switchboard.platform.crypto.NativeCrypto;
import java.nio.ByteBuffer;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

/**
 * The one generator of random ids and secrets: {@code usr_…}, {@code msg_…}, {@code file_…},
 * refresh tokens.
 *
 * <p>The bytes come from a generator per thread. With native cryptography ({@link NativeCrypto})
 * that is AWS-LC's generator (ACCP's {@code DEFAULT} {@code SecureRandom}: a CTR-DRBG with state
 * per thread in the native library); otherwise the JDK's {@code DRBG} (Hash_DRBG over SHA-256 in
 * Java, which cost a fifth of a webhook request's CPU: several SHA-256 blocks for every job id).
 * {@code new SecureRandom()} and {@link UUID#randomUUID()} use NativePRNG on Linux, which
 * serialises every caller in the JVM on one lock, and one shared DRBG is a single lock as well; a
 * generator per thread has no lock to wait for and is as strong.
 */
public final class Ids {

  private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(Ids::drbg);
  private static final HexFormat HEX = HexFormat.of();

  private Ids() {}

  /**
   * {@code prefix} followed by {@code bytes} random bytes in lower-case hex: {@code Ids.hex("msg_",
   * 12)}.
   */
  public static String hex(String prefix, int bytes) {
    return prefix + HEX.formatHex(bytes(bytes));
  }

  /** {@code bytes} random bytes, URL-safe Base64 without padding: tokens handed to clients. */
  public static String urlSafe(int bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(bytes));
  }

  /** A version 4 UUID, as {@link UUID#randomUUID()} makes, without its lock. */
  public static UUID uuid() {
    byte[] bytes = bytes(16);
    bytes[6] = (byte) ((bytes[6] & 0x0f) | 0x40);
    bytes[8] = (byte) ((bytes[8] & 0x3f) | 0x80);
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    return new UUID(buffer.getLong(), buffer.getLong());
  }

  /**
   * A version 7 UUID (RFC 9562): the current Unix time in milliseconds in the first 48 bits, then
   * 74 random bits. Ids made later sort later, so rows keyed by them are appended at the end of
   * their index instead of landing on a random page of it: on H2 every store write rewrites each
   * page a commit touched, and random keys made every job insert touch a page of its own.
   */
  public static UUID timeOrderedUuid() {
    byte[] bytes = bytes(16);
    long millis = System.currentTimeMillis();
    for (int i = 0; i < 6; i++) {
      bytes[i] = (byte) (millis >>> (40 - 8 * i));
    }
    bytes[6] = (byte) ((bytes[6] & 0x0f) | 0x70);
    bytes[8] = (byte) ((bytes[8] & 0x3f) | 0x80);
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    return new UUID(buffer.getLong(), buffer.getLong());
  }

  /**
   * {@code prefix}, the current Unix time in milliseconds (12 hex digits), then {@code bytes}
   * random bytes in hex: {@code Ids.timeOrderedHex("file_", 6)}. Ids made later sort later, as
   * {@link #timeOrderedUuid()}'s do, in the shape of {@link #hex} ids; unique through the random
   * part within a millisecond.
   */
  public static String timeOrderedHex(String prefix, int bytes) {
    byte[] all = bytes(6 + bytes);
    long millis = System.currentTimeMillis();
    for (int i = 0; i < 6; i++) {
      all[i] = (byte) (millis >>> (40 - 8 * i));
    }
    return prefix + HEX.formatHex(all);
  }

  /** {@code count} random bytes. */
  public static byte[] bytes(int count) {
    byte[] bytes = new byte[count];
    RANDOM.get().nextBytes(bytes);
    return bytes;
  }

  /**
   * This thread's generator, for callers that need a {@link SecureRandom} (key generation, jitter).
   */
  public static SecureRandom random() {
    return RANDOM.get();
  }

  private static SecureRandom drbg() {
    try {
      Optional<Provider> preferred = NativeCrypto.preferred();
      if (preferred.isPresent()) {
        return SecureRandom.getInstance("DEFAULT", preferred.get());
      }
      return SecureRandom.getInstance("DRBG");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no random generator (DRBG is in every JDK since 9)", e);
    }
  }
}
