package dev.switchboard.platform.crypto;

import java.security.GeneralSecurityException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One HMAC-SHA256 key that is used again and again (a purpose's derived key): each thread keeps a
 * {@link Mac} set up with it once ({@code Mac} is not thread-safe), so a use costs the HMAC alone.
 * {@link Digests#hmacSha256(byte[], byte[]...)} keeps one Mac per thread for whatever key came
 * last, which sets the key up again each time two keys alternate on a thread (a refresh rotation
 * derives its successor under one key and tags it under another).
 */
public final class HmacKey {

  private final SecretKeySpec key;
  private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::setUp);
  private final AtomicInteger setUps = new AtomicInteger();

  /**
   * @param key the key's bytes (copied)
   */
  public HmacKey(byte[] key) {
    this.key = new SecretKeySpec(key, "HmacSHA256");
  }

  /** HMAC-SHA256 of the parts, one after the other, under this key. */
  public byte[] sign(byte[]... parts) {
    Mac mac = macs.get();
    for (byte[] part : parts) {
      mac.update(part);
    }
    return mac.doFinal();
  }

  /** How many Macs have been set up with this key so far (one per thread that used it). */
  int setUps() {
    return setUps.get();
  }

  private Mac setUp() {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      setUps.incrementAndGet();
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
