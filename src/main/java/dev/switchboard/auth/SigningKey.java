package dev.switchboard.auth;

import java.time.Instant;
import java.util.Optional;

/**
 * One ES256 signing key as stored: its public JWK in clear, its private JWK sealed by {@link
 * KeyEncryption}.
 *
 * @param status {@code standby} (published, not signing yet), {@code active} (signing), {@code
 *     retired} (published until the last token it signed has expired)
 */
record SigningKey(
    String kid,
    String status,
    String publicJwk,
    String privateSealed,
    Instant createdAt,
    Optional<Instant> activatedAt,
    Optional<Instant> retiredAt) {

  static final String STANDBY = "standby";
  static final String ACTIVE = "active";
  static final String RETIRED = "retired";
}
