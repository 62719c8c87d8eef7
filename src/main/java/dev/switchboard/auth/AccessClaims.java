package dev.switchboard.auth;

import java.time.Instant;
import java.util.Set;

/**
 * What a verified access token says: whose it is, which session it belongs to, and when it expires.
 */
public record AccessClaims(
    String accountId,
    String sessionId,
    String email,
    boolean emailVerified,
    Set<String> roles,
    Instant expiresAt) {

  public AccessClaims {
    roles = Set.copyOf(roles);
  }
}
