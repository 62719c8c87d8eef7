package dev.switchboard.platform.jobs;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Thrown by a {@link JobHandler} to decide what happens next. The message is stored as the job's last error and
 * shown on the dashboard: keep it short and free of secrets and personal data.
 */
public final class JobFailure extends RuntimeException {

  private final boolean retryable;
  private final transient Optional<Duration> retryAfter;

  private JobFailure(String message, boolean retryable, Optional<Duration> retryAfter) {
    super(Objects.requireNonNull(message, "message cannot be null"), null, false, false);
    this.retryable = retryable;
    this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter cannot be null");
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
    return new JobFailure(message, true, retryAfter);
  }

  /** Give up now: the job becomes dead whatever attempts remain. */
  public static JobFailure permanent(String message) {
    return new JobFailure(message, false, Optional.empty());
  }

  public boolean retryable() {
    return retryable;
  }

  public Optional<Duration> retryAfter() {
    return retryAfter;
  }
}
