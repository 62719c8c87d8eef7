package dev.switchboard.auth;

import java.time.Instant;
import java.util.Optional;

/**
 * A sign-in (or link) flow in flight: one database row between the redirect to the provider and its
 * callback.
 *
 * @param redirectTo where the browser goes at the end, already checked against the allowlist
 * @param appChallenge the app's own PKCE S256 challenge, checked when it exchanges the one-time
 *     code
 * @param linkAccountId set when a signed-in account is adding this provider rather than signing in
 * @param attempt 1 for a fresh flow, 2 after the one automatic restart on {@code invalid_grant}
 */
public record OAuthFlow(
    String stateHash,
    String provider,
    String redirectTo,
    String codeVerifier,
    String nonce,
    Optional<String> appChallenge,
    Optional<String> linkAccountId,
    int attempt,
    Instant createdAt,
    Instant expiresAt) {

  @Override
  public String toString() {
    return "OAuthFlow[provider="
        + provider
        + ", attempt="
        + attempt
        + ", expiresAt="
        + expiresAt
        + "]";
  }
}
