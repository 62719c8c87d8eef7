package dev.switchboard.auth.dev;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The dev identity provider's codes and access tokens, in memory: it runs in development on one
 * instance, and a restart simply means signing in again.
 */
class DevGrants {

  static final Duration CODE_LIFETIME = Duration.ofSeconds(60);
  static final Duration TOKEN_LIFETIME = Duration.ofMinutes(10);

  private final Map<String, Entry> codes = new ConcurrentHashMap<>();
  private final Map<String, Entry> tokens = new ConcurrentHashMap<>();
  private final Clock clock;

  DevGrants(Clock clock) {
    this.clock = clock;
  }

  /** Who signed in on the page, and what the code was issued for. */
  record Grant(
      String provider,
      String email,
      String name,
      boolean emailVerified,
      String redirectUri,
      String codeChallenge,
      String scope) {

    String subject() {
      return "dev:" + email;
    }
  }

  private record Entry(Grant grant, Instant expiresAt) {}

  void putCode(String code, Grant grant) {
    purge();
    codes.put(code, new Entry(grant, clock.instant().plus(CODE_LIFETIME)));
  }

  /** Removes the code whatever happens next, so a code works once. */
  Optional<Grant> takeCode(String code) {
    Entry entry = code == null ? null : codes.remove(code);
    return live(entry);
  }

  void putToken(String token, Grant grant) {
    purge();
    tokens.put(token, new Entry(grant, clock.instant().plus(TOKEN_LIFETIME)));
  }

  Optional<Grant> token(String token) {
    return live(token == null ? null : tokens.get(token));
  }

  private Optional<Grant> live(Entry entry) {
    return entry != null && clock.instant().isBefore(entry.expiresAt())
        ? Optional.of(entry.grant())
        : Optional.empty();
  }

  private void purge() {
    Instant now = clock.instant();
    codes.values().removeIf(e -> !now.isBefore(e.expiresAt()));
    tokens.values().removeIf(e -> !now.isBefore(e.expiresAt()));
  }
}
