package dev.switchboard.auth;

import java.time.Instant;
import java.util.List;

/** The signing keys every instance shares. */
interface SigningKeyStore {

  /**
   * Locks the key set until the surrounding transaction ends, so only one instance bootstraps or
   * rotates at a time.
   */
  void lock();

  /**
   * Standby and active keys, and retired keys retired after {@code retiredAfter}: what may still
   * verify a token.
   */
  List<SigningKey> live(Instant retiredAfter);

  void insert(SigningKey key);

  /**
   * Moves the key to {@code status}, stamping {@code activated_at} or {@code retired_at} with
   * {@code at}.
   */
  void move(String kid, String status, Instant at);
}
