package dev.switchboard.analytics;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The write keys ingest accepts, and the fingerprint events are stored under instead of the key. */
public final class WriteKeys {

  private WriteKeys() {}

  /** The first 16 bytes of SHA-256 of the key, in hex (32 characters): stable, and useless to send events with. */
  public static String fingerprint(String writeKey) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(writeKey.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
