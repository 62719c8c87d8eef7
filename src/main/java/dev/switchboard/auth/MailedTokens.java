package dev.switchboard.auth;

import java.time.Duration;
import java.util.Optional;

/**
 * Single-use tokens sent by email (verify-email, password-reset), stored as SHA-256 and expiring.
 */
interface MailedTokens {

  String VERIFY_EMAIL = "verify-email";
  String PASSWORD_RESET = "password-reset";

  /** A new token for the account; the raw value is returned once, only its hash is kept. */
  String issue(String purpose, String accountId, Duration lifetime);

  /**
   * Uses the token up: the account it was issued for, or empty when it is unknown, expired, already
   * used or for another purpose. Two concurrent uses cannot both succeed.
   */
  Optional<String> consume(String purpose, String token);

  /** Discards every unused token of the account (after a password change or a takeover). */
  void discardAll(String accountId);
}
