package dev.switchboard.auth;

import java.time.Instant;
import java.util.Optional;

/**
 * A signed-in device: one refresh-token family.
 *
 * @param method how the person signed in: {@code password}, {@code google}, {@code github}
 * @param expiresAt when the refresh token stops working unless used (each refresh moves it)
 */
public record UserSession(
    String id,
    String accountId,
    String method,
    Optional<String> ipAddress,
    Optional<String> userAgent,
    Instant createdAt,
    Instant lastUsedAt,
    Instant expiresAt,
    Optional<Instant> revokedAt) {

  boolean activeAt(Instant now) {
    return revokedAt.isEmpty() && expiresAt.isAfter(now);
  }
}
