package dev.switchboard.platform.outbound;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * When an outbound call is tried again, and after how long. This is the one retry policy of
 * Switchboard: adapters pick a variant of {@link #defaults()}, they never loop themselves.
 *
 * <p>Retried: connection failures, timeouts, 429, 500, 502, 503, 504 and 409 (Stripe answers 409 to
 * lock conflicts and documents it as retryable). Never retried: any other status, and any answer
 * carrying {@code Stripe-Should-Retry: false}. A {@code Retry-After} delay replaces the backoff
 * when it is at most {@link #maxRetryAfter()}; a longer one ends the call with a retryable {@link
 * OutboundException} that carries the delay, so a job is rescheduled instead of holding a thread.
 *
 * @param maxAttempts attempts in total, 1 means no retry
 * @param maxTotal the time budget for all attempts and waits; no retry starts that would wait past
 *     it
 * @param backoff the delays between attempts when the provider gives none
 * @param maxRetryAfter the longest {@code Retry-After} waited for in the calling thread
 */
public record RetryPolicy(
    int maxAttempts, Duration maxTotal, Backoff backoff, Duration maxRetryAfter) {

  private static final RetryPolicy DEFAULTS =
      new RetryPolicy(
          3,
          Duration.ofSeconds(30),
          new Backoff(Duration.ofMillis(500), Duration.ofSeconds(5)),
          Duration.ofSeconds(20));

  public RetryPolicy {
    Objects.requireNonNull(maxTotal, "maxTotal cannot be null");
    Objects.requireNonNull(backoff, "backoff cannot be null");
    Objects.requireNonNull(maxRetryAfter, "maxRetryAfter cannot be null");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
    }
  }

  /**
   * 3 attempts within 30 s, backoff from 500 ms up to 5 s, {@code Retry-After} waited up to 20 s.
   */
  public static RetryPolicy defaults() {
    return DEFAULTS;
  }

  /** One attempt, no retry: for calls that must not be repeated and carry no idempotency key. */
  public static RetryPolicy noRetry() {
    return DEFAULTS.withMaxAttempts(1);
  }

  public RetryPolicy withMaxAttempts(int attempts) {
    return new RetryPolicy(attempts, maxTotal, backoff, maxRetryAfter);
  }

  public RetryPolicy withMaxTotal(Duration total) {
    return new RetryPolicy(maxAttempts, total, backoff, maxRetryAfter);
  }

  /** Whether an HTTP status is worth trying again: 409, 429 and the transient 5xx. */
  public static boolean retryableStatus(int status) {
    return switch (status) {
      case 409, 429, 500, 502, 503, 504 -> true;
      default -> false;
    };
  }

  /**
   * How long to wait before the attempt after {@code failedAttempt}.
   *
   * @param failedAttempt the attempt that just failed, 1-based
   * @param retryAfter the delay the provider asked for, if any; used as is
   * @param random the jitter source
   */
  public Duration delayAfter(
      int failedAttempt, Optional<Duration> retryAfter, RandomGenerator random) {
    return retryAfter.orElseGet(() -> backoff.delay(failedAttempt, random));
  }
}
