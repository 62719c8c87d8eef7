package dev.switchboard.monitoring;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Turns a caller id into the opaque user id sent to an error tracker: HMAC-SHA256 with a salt stored in the database.
 * The same caller gets the same id across restarts and instances, so "users affected" counts stay right, while the
 * tracker never learns a real id, email or address, and cannot reverse the hash without the salt.
 */
public class CallerIdHasher {

  private final Supplier<String> salt;

  /** @param salt the stored salt, read lazily so startup does not depend on the table */
  public CallerIdHasher(Supplier<String> salt) {
    this.salt = salt;
  }

  /** A 64-character hex id for {@code callerId}. */
  public String hash(String callerId) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(salt.get().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(callerId.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is required by every JVM", e);
    }
  }
}
