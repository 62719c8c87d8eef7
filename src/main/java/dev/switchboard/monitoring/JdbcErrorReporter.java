package dev.switchboard.monitoring;

import dev.switchboard.platform.config.SecretScrubber;
import dev.switchboard.platform.integrations.HealthResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local reporter used when {@code SENTRY_DSN} is not set: groups errors by {@link
 * ErrorFingerprint} in the {@code error_groups} table, which the dashboard's errors page reads
 * through {@code GET /api/errors}.
 *
 * <p>A report is built on the caller's thread (message, trail and time are the caller's) and handed
 * to a bounded queue that one background thread writes in order. The caller never waits for the
 * database, so a 500 is answered at once even while the database is down and the pool would make a
 * writer wait for its timeout. When the queue is full the oldest report is dropped and counted
 * ({@code switchboard.errors.dropped}, tag {@code reason=overflow}). When a write fails {@value
 * #WRITE_ATTEMPTS} times the reporter asks whether the table answers at all: if not, the database
 * is away and the same report is retried with a growing delay (up to 30 retry delays) until it is
 * back, the queue bound keeping memory in check meanwhile; if the table answers and one more write
 * fails, the report itself cannot be written and it is dropped with {@code reason=failed}, so that
 * it cannot hold up the ones behind it. {@link #close()} writes what is queued before the
 * application stops; a report arriving after that is dropped with {@code reason=closed}.
 */
public class JdbcErrorReporter implements ErrorReporter, AutoCloseable {

  /**
   * Reports held while the database is slow or away; a burst of 500s beyond this keeps the newest.
   */
  public static final int DEFAULT_CAPACITY = 1_000;

  static final int WRITE_ATTEMPTS = 3;

  /**
   * The longest wait between writes while the database is away, in retry delays: 30 s by default.
   */
  private static final int MAX_BACKOFF = 30;

  private static final Duration RETRY_DELAY = Duration.ofSeconds(1);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
  private static final Logger log = LoggerFactory.getLogger(JdbcErrorReporter.class);

  private final ErrorStore store;
  private final SecretScrubber scrubber;
  private final BreadcrumbTrail trail;
  private final Clock clock;
  private final LinkedBlockingDeque<ErrorOccurrence> queue;

  /** Queued plus being written: what {@link #flush} waits for. */
  private final AtomicInteger pending = new AtomicInteger();

  private final AtomicLong overflowed = new AtomicLong();
  private final Counter overflowCounter;
  private final Counter failedCounter;
  private final Counter closedCounter;
  private final AtomicLong closedDropped = new AtomicLong();
  private final Duration retryDelay;
  private final Thread writer;
  private volatile boolean open = true;

  public JdbcErrorReporter(
      ErrorStore store, SecretScrubber scrubber, BreadcrumbTrail trail, Clock clock) {
    this(store, scrubber, trail, clock, DEFAULT_CAPACITY, null, RETRY_DELAY);
  }

  /**
   * @param capacity reports held before the oldest is dropped
   * @param meters where the dropped counter goes; may be null
   * @param retryDelay the wait before a failed write is tried again
   */
  public JdbcErrorReporter(
      ErrorStore store,
      SecretScrubber scrubber,
      BreadcrumbTrail trail,
      Clock clock,
      int capacity,
      MeterRegistry meters,
      Duration retryDelay) {
    this.store = store;
    this.scrubber = scrubber;
    this.trail = trail;
    this.clock = clock;
    this.queue = new LinkedBlockingDeque<>(capacity);
    this.overflowCounter = meters == null ? null : dropped(meters, "overflow");
    this.failedCounter = meters == null ? null : dropped(meters, "failed");
    this.closedCounter = meters == null ? null : dropped(meters, "closed");
    this.retryDelay = retryDelay;
    this.writer = new Thread(this::drain, "error-reporter");
    writer.setDaemon(true);
    writer.start();
  }

  private static Counter dropped(MeterRegistry meters, String reason) {
    return Counter.builder("switchboard.errors.dropped")
        .description(
            "Error reports not stored: queue full (overflow), the report could not be written (failed), or it came"
                + " after shutdown began (closed)")
        .tag("reason", reason)
        .register(meters);
  }

  @Override
  public void report(Throwable error, ErrorContext context) {
    if (!open) {
      // The writer is stopping or gone: queued now, the report would sit in memory until the
      // process exits.
      closedDropped.incrementAndGet();
      if (closedCounter != null) {
        closedCounter.increment();
      }
      log.warn(
          "Error report for request {} dropped: the reporter is shut down", context.requestId());
      return;
    }
    try {
      ErrorOccurrence occurrence =
          new ErrorOccurrence(
              ErrorFingerprint.of(error),
              ErrorMessages.type(error),
              ErrorMessages.shortMessage(error, scrubber),
              clock.instant(),
              context,
              trail.snapshot());
      pending.incrementAndGet();
      while (!queue.offerLast(occurrence)) {
        // Full: the newest failures say more about the present than the oldest ones.
        if (queue.pollFirst() != null) {
          pending.decrementAndGet();
          overflowed.incrementAndGet();
          if (overflowCounter != null) {
            overflowCounter.increment();
          }
        }
      }
    } catch (RuntimeException e) {
      log.warn(
          "Could not queue error report for request {} ({})",
          context.requestId(),
          e.getClass().getName());
    }
  }

  private void drain() {
    while (open || !queue.isEmpty()) {
      ErrorOccurrence next;
      try {
        next = queue.pollFirst(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (next != null) {
        try {
          write(next);
        } finally {
          pending.decrementAndGet();
        }
      }
    }
  }

  private void write(ErrorOccurrence occurrence) {
    Duration delay = retryDelay;
    boolean answeredBefore = false;
    for (int attempt = 1; ; attempt++) {
      try {
        store.record(occurrence);
        if (attempt > WRITE_ATTEMPTS) {
          log.info(
              "Error report for request {} stored after {} attempts",
              occurrence.context().requestId(),
              attempt);
        }
        return;
      } catch (RuntimeException e) {
        if (attempt <= WRITE_ATTEMPTS) {
          // Only the class: a driver's message may quote the values we tried to write.
          log.warn(
              "Could not store error report for request {} (attempt {}: {})",
              occurrence.context().requestId(),
              attempt,
              e.getClass().getName());
        }
      }
      if (attempt >= WRITE_ATTEMPTS) {
        boolean answers = databaseAnswers();
        // Twice in a row, so that a database coming back between a failed write and the check costs
        // no report.
        if (answers && answeredBefore) {
          if (failedCounter != null) {
            failedCounter.increment();
          }
          log.warn(
              "Error report for request {} dropped: the database answers but refuses this report",
              occurrence.context().requestId());
          return;
        }
        answeredBefore = answers;
        if (!answers) {
          delay = min(delay.multipliedBy(2), retryDelay.multipliedBy(MAX_BACKOFF));
        }
      }
      if (!sleep(delay)) {
        return; // closing: what is left is counted by close()
      }
    }
  }

  private boolean databaseAnswers() {
    try {
      store.count();
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static boolean sleep(Duration delay) {
    try {
      Thread.sleep(delay.toMillis());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Reports dropped because the queue was full, since start. */
  public long overflowed() {
    return overflowed.get();
  }

  /** Reports dropped because they came after {@link #close()}. */
  public long droppedAfterClose() {
    return closedDropped.get();
  }

  @Override
  public void breadcrumb(String category, String message, Map<String, String> data) {
    trail.add(category, message, data);
  }

  @Override
  public void flush(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (pending.get() > 0 && System.nanoTime() < deadline) {
      if (!sleep(Duration.ofMillis(10))) {
        return;
      }
    }
  }

  /**
   * Writes what is queued, for up to five seconds, then stops the writer; later reports are
   * dropped.
   */
  @Override
  public void close() {
    open = false;
    flush(CLOSE_TIMEOUT);
    writer.interrupt();
    if (pending.get() > 0) {
      log.warn("{} error reports were not stored before shutdown", pending.get());
    }
  }

  @Override
  public String provider() {
    return "local";
  }

  @Override
  public HealthResult health() {
    long dropped = overflowed.get();
    return HealthResult.up(
        store.count() + " error groups" + (dropped > 0 ? ", " + dropped + " reports dropped" : ""));
  }
}
