package dev.switchboard.platform.outbound;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter: before retry {@code n} (1 for the first retry) wait a
 * uniformly random time between zero and {@code min(max, initial × 2^(n-1))}. Full jitter spreads
 * the retries of many clients that failed together, so a provider that comes back is not hit by all
 * of them at the same instant.
 *
 * @param initial the ceiling before the first retry
 * @param max the largest ceiling
 */
public record Backoff(Duration initial, Duration max) {

  /** A jitter source that any thread may use at once. */
  public static final RandomGenerator SHARED_RANDOM = () -> ThreadLocalRandom.current().nextLong();

  public Backoff {
    Objects.requireNonNull(initial, "initial cannot be null");
    Objects.requireNonNull(max, "max cannot be null");
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException(
          "expected 0 < initial <= max, got " + initial + " and " + max);
    }
  }

  /** The largest delay before retry {@code retry} (1-based). */
  public Duration ceiling(int retry) {
    if (retry < 1) {
      throw new IllegalArgumentException("retry is 1-based, got " + retry);
    }
    // Past 2^30 the product overflows; max is reached long before for any sensible configuration.
    int exponent = Math.min(retry - 1, 30);
    long millis = initial.toMillis();
    long ceiling = millis > (max.toMillis() >> exponent) ? max.toMillis() : millis << exponent;
    return Duration.ofMillis(Math.min(ceiling, max.toMillis()));
  }

  /** A random delay in {@code [0, ceiling(retry)]}. */
  public Duration delay(int retry, RandomGenerator random) {
    long ceiling = ceiling(retry).toMillis();
    return Duration.ofMillis(random.nextLong(ceiling + 1));
  }
}
