package dev.switchboard.platform.jobs;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Thrown by a {@link JobHandler} to decide what happens next. The message is stored as the job's
 * last error and shown on the dashboard: keep it short and free of secrets and personal data.
 */
public final class JobFailure extends RuntimeException {

  private final boolean retryable;
  private final boolean deferred;
  private final transient Optional<Duration> retryAfter;

  private JobFailure(
      String message, boolean retryable, boolean deferred, Optional<Duration> retryAfter) {
    super(Objects.requireNonNull(message, "message cannot be null"), null, false, false);
    this.retryable = retryable;
    this.deferred = deferred;
    this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter cannot be null");
  }

  /**
   * Not a failure: the job could not start its work yet (waiting for a rate-limit permit, a
   * provider asked us to slow down). It runs again after {@code delay} and the wait does not use up
   * an attempt, so waiting never kills a job however long the queue is.
   */
  public static JobFailure defer(String message, Duration delay) {
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay cannot be negative");
    }
    return new JobFailure(message, true, true, Optional.of(delay));
  }

  public boolean deferred() {
    return deferred;
  }

  /**
   * Try again later.
   *
   * @param message why, for the dashboard
   * @param retryAfter when to try again; empty means the queue's backoff
   */
  public static JobFailure retryable(String message, Optional<Duration> retryAfter) {
    if (retryAfter.isPresent() && retryAfter.get().isNegative()) {
      throw new IllegalArgumentException("retryAfter cannot be negative");
    }
    return new JobFailure(message, true, false, retryAfter);
  }

  /** Give up now: the job becomes dead whatever attempts remain. */
  public static JobFailure permanent(String message) {
    return new JobFailure(message, false, false, Optional.empty());
  }

  public boolean retryable() {
    return retryable;
  }

  public Optional<Duration> retryAfter() {
    return retryAfter;
  }
}
