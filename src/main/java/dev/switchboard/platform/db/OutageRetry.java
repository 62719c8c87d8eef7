package dev.switchboard.platform.db;

import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rides out a database outage for a write that must not be lost to it: the write is tried again
 * while {@link DatabaseFailures#unavailable} says the database cannot be reached (a restart, a
 * failover, a starved pool), so the work it records is not done a second time.
 */
public final class OutageRetry {

  private static final Logger log = LoggerFactory.getLogger(OutageRetry.class);

  private OutageRetry() {}

  /**
   * Runs {@code write}, trying again every {@code every} while the database is unavailable, for at
   * most {@code atMost} (zero or less: once). Any other failure, an outage that outlasts {@code
   * atMost}, or an interruption while waiting (a shutdown; the thread stays interrupted) ends it
   * with the last failure thrown as it came.
   *
   * @return what the write answered
   */
  public static <T> T call(Supplier<T> write, Duration every, Duration atMost) {
    long deadline = System.nanoTime() + atMost.toNanos();
    while (true) {
      try {
        return write.get();
      } catch (RuntimeException e) {
        if (!DatabaseFailures.unavailable(e) || System.nanoTime() - deadline >= 0) {
          throw e;
        }
        log.debug("Write not stored yet, database unavailable; trying again in {}: {}", every, e);
        try {
          Thread.sleep(every.toMillis());
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }
}
