package dev.switchboard.analytics;

import java.time.Clock;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Deletes events (and their hourly counts) older than {@code ANALYTICS_RETENTION}, once a day and a
 * few minutes after start, in chunks so one run never holds a long transaction. An expired event a
 * configured forwarding destination has not passed yet stays until it has (a destination that is
 * down keeps its backlog, however old). Several instances running it at once delete the same rows;
 * nothing breaks.
 */
public final class AnalyticsRetention {

  static final int CHUNK = 10_000;
  private static final Logger log = LoggerFactory.getLogger(AnalyticsRetention.class);

  private final AnalyticsEventStore store;
  private final LongSupplier forwardedThrough;
  private final Clock clock;
  private final Duration retention;

  /**
   * @param forwardedThrough the highest event id every configured destination has passed ({@link
   *     Long#MAX_VALUE} without forwarding); read once per run
   */
  public AnalyticsRetention(
      AnalyticsEventStore store, LongSupplier forwardedThrough, Clock clock, Duration retention) {
    this.store = store;
    this.forwardedThrough = forwardedThrough;
    this.clock = clock;
    this.retention = retention;
  }

  @Scheduled(initialDelayString = "PT5M", fixedDelayString = "P1D")
  public void run() {
    int total = deleteExpired();
    if (total > 0) {
      log.info("Deleted {} analytics events older than {}", total, retention);
    }
  }

  /**
   * Deletes everything older than the retention that forwarding is done with; returns the number of
   * events deleted.
   */
  int deleteExpired() {
    long through = forwardedThrough.getAsLong();
    int total = 0;
    int deleted;
    do {
      deleted = store.deleteBefore(clock.instant().minus(retention), through, CHUNK);
      total += deleted;
    } while (deleted == CHUNK);
    return total;
  }
}
