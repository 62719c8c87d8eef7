package dev.switchboard.monitoring;

import dev.switchboard.platform.crypto.Digests;
import java.util.function.Supplier;

/**
 * Turns a caller id into the opaque user id sent to an error tracker: HMAC-SHA256 with a salt
 * stored in the database. The same caller gets the same id across restarts and instances, so "users
 * affected" counts stay right, while the tracker never learns a real id, email or address, and
 * cannot reverse the hash without the salt.
 */
public class CallerIdHasher {

  private final Supplier<String> salt;

  /**
   * @param salt the stored salt, read lazily so startup does not depend on the table
   */
  public CallerIdHasher(Supplier<String> salt) {
    this.salt = salt;
  }

  /** A 64-character hex id for {@code callerId}. */
  public String hash(String callerId) {
    return Digests.hmacSha256Hex(salt.get(), callerId);
  }
}
