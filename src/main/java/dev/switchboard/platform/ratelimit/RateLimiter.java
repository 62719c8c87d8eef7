package dev.switchboard.platform.ratelimit;

import dev.switchboard.platform.config.Rate;
import java.time.Duration;
import java.util.Objects;

/**
 * Token buckets keyed by name. A bucket holds {@code rate.permits()} permits and refills them
 * smoothly over {@code rate.period()}, so a full bucket allows a burst of one period's permits and
 * then the steady rate. Callers choose keys that say whose limit it is ({@code api:key_123}, {@code
 * email:sendgrid}); the same key with a different rate is a different bucket.
 */
public interface RateLimiter {

  /**
   * Takes one permit if one is free now. Never blocks; for inbound requests, which are answered 429
   * when refused.
   *
   * @param key the bucket's name
   * @param rate the bucket's capacity and refill
   * @return whether the permit was taken, how many are left, and how long until the next one when
   *     refused
   */
  Decision tryAcquire(String key, Rate rate);

  /**
   * Waits until a permit is free and takes it, for workers that shape their sending to a provider's
   * rate: excess work waits rather than being dropped. Permits are reserved in arrival order, so
   * workers sharing a key never exceed the rate together.
   *
   * @param key the bucket's name
   * @param rate the bucket's capacity and refill
   * @param maxWait the longest the caller is willing to wait
   * @return {@code true} when a permit was taken; {@code false}, at once and with nothing taken,
   *     when none would be free within {@code maxWait} (the worker should put its job back for
   *     later)
   * @throws InterruptedException when the waiting thread is interrupted
   */
  boolean acquire(String key, Rate rate, Duration maxWait) throws InterruptedException;

  /**
   * The limiter that keeps the buckets, under any wrapper that only observes permits (the alerts'
   * usage meter), so tests and diagnostics can tell which backend is in use.
   */
  default RateLimiter backend() {
    return this;
  }

  /**
   * The answer of {@link #tryAcquire}.
   *
   * @param allowed whether a permit was taken
   * @param remaining permits left in the bucket after this call
   * @param retryAfter when refused, how long until a permit is free; zero when allowed
   */
  record Decision(boolean allowed, long remaining, Duration retryAfter) {

    public Decision {
      Objects.requireNonNull(retryAfter, "retryAfter cannot be null");
      remaining = Math.max(0, remaining);
    }

    /**
     * {@link #retryAfter()} in whole seconds, rounded up and at least 1, as the {@code Retry-After}
     * header wants.
     */
    public long retryAfterSeconds() {
      long millis = retryAfter.toMillis();
      return Math.max(1, (millis + 999) / 1000);
    }
  }
}
