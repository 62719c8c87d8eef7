package dev.switchboard.platform.http;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps the idempotency claims of requests running on this instance alive. Without it a request running longer than
 * {@link IdempotencyStore#IN_FLIGHT_EXPIRY} would lose its key and a client retry would run it a second time. Only
 * claims held here are renewed, so a claim left by a crashed instance still expires after one lease.
 */
@Component
public class IdempotencyHeartbeat {

  /** A quarter of the lease: three renewals may fail (a slow database) before a live claim could lapse. */
  static final String INTERVAL = "PT15S";

  private static final Logger log = LoggerFactory.getLogger(IdempotencyHeartbeat.class);

  private record Held(String callerId, String key) {}

  private final IdempotencyStore store;
  private final Clock clock;
  private final Map<String, Held> held = new ConcurrentHashMap<>();

  public IdempotencyHeartbeat(IdempotencyStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** Starts renewing a claim this instance has just started; call {@link #drop} when its request ends. */
  void hold(String callerId, String key, String token) {
    held.put(token, new Held(callerId, key));
  }

  /** Stops renewing a claim, before it is completed or released. */
  void drop(String token) {
    held.remove(token);
  }

  /** Renews every held claim; returns how many were renewed. */
  @Scheduled(initialDelayString = INTERVAL, fixedDelayString = INTERVAL)
  public int renew() {
    Instant now = clock.instant();
    int renewed = 0;
    for (Map.Entry<String, Held> entry : held.entrySet()) {
      Held claim = entry.getValue();
      try {
        if (store.renew(claim.callerId(), claim.key(), entry.getKey(), now)) {
          renewed++;
        } else {
          // Taken over after a lapse (the database was away for a whole lease): renewing it would be pointless.
          held.remove(entry.getKey());
        }
      } catch (RuntimeException e) {
        // The next beat tries again; the lease leaves room for a few missed ones.
        log.warn("Could not renew an idempotency claim of {}: {}", claim.callerId(), e.toString());
      }
    }
    return renewed;
  }
}
