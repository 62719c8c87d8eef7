package dev.switchboard.platform.http;

import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Deletes idempotency keys older than {@link IdempotencyStore#RETENTION} every 15 minutes. Claims
 * already ignore expired rows, so this only keeps the table small; running it on several instances
 * at once is harmless.
 */
public class IdempotencyCleanup {

  private static final Logger log = LoggerFactory.getLogger(IdempotencyCleanup.class);

  private final IdempotencyStore store;
  private final Clock clock;

  public IdempotencyCleanup(IdempotencyStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** Runs once; returns how many keys were deleted. */
  @Scheduled(initialDelayString = "PT1M", fixedDelayString = "PT15M")
  public int deleteExpired() {
    try {
      int deleted = store.deleteCreatedBefore(clock.instant().minus(IdempotencyStore.RETENTION));
      if (deleted > 0) {
        log.debug("Deleted {} expired idempotency keys", deleted);
      }
      return deleted;
    } catch (RuntimeException e) {
      // The database may be briefly away; the next run catches up.
      log.warn("Idempotency key cleanup failed: {}", e.toString());
      return 0;
    }
  }
}
