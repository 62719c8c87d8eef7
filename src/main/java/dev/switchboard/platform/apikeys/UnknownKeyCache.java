package dev.switchboard.platform.apikeys;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Hashes of presented keys that were recently looked up and rejected (no such key, or revoked), so
 * that a client retrying a wrong key does not cost a database query each time. Entries live {@link
 * #TTL} and at most {@link #MAX_ENTRIES} are kept (the oldest go first), so memory stays bounded
 * under a flood of distinct keys. A key created or registered on this instance is {@linkplain
 * #forget forgotten} at once; an instance that did not create it keeps rejecting it for at most one
 * TTL.
 */
final class UnknownKeyCache {

  static final Duration TTL = Duration.ofSeconds(30);
  static final int MAX_ENTRIES = 10_000;

  private final Clock clock;
  private final Duration ttl;
  private final Map<String, Instant> expiries;

  UnknownKeyCache(Clock clock) {
    this(clock, TTL, MAX_ENTRIES);
  }

  UnknownKeyCache(Clock clock, Duration ttl, int maxEntries) {
    this.clock = clock;
    this.ttl = ttl;
    // Insertion order with a constant TTL is also expiry order: the eldest entry is the first to
    // lapse anyway.
    this.expiries =
        new LinkedHashMap<>() {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
            return size() > maxEntries;
          }
        };
  }

  /** Whether this hash was rejected less than one TTL ago. */
  synchronized boolean rejected(String hash) {
    Instant until = expiries.get(hash);
    if (until == null) {
      return false;
    }
    if (!clock.instant().isBefore(until)) {
      expiries.remove(hash);
      return false;
    }
    return true;
  }

  /** Remembers a hash the store did not accept, for one TTL from now. */
  synchronized void remember(String hash) {
    expiries.remove(hash);
    expiries.put(hash, clock.instant().plus(ttl));
  }

  /** Forgets a hash that now belongs to a key. */
  synchronized void forget(String hash) {
    expiries.remove(hash);
  }
}
