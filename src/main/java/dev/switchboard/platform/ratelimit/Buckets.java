package dev.switchboard.platform.ratelimit;

import dev.switchboard.platform.config.Rate;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;

/**
 * What both adapters share: how a {@link Rate} becomes a Bucket4j bucket and how a probe becomes a
 * decision.
 */
final class Buckets {

  private Buckets() {}

  /** Greedy refill: permits come back one by one over the period, not all at once at its end. */
  static BucketConfiguration configuration(Rate rate) {
    return BucketConfiguration.builder()
        .addLimit(
            limit -> limit.capacity(rate.permits()).refillGreedy(rate.permits(), rate.period()))
        .build();
  }

  static RateLimiter.Decision tryAcquire(Bucket bucket) {
    ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
    return probe.isConsumed()
        ? new RateLimiter.Decision(true, probe.getRemainingTokens(), Duration.ZERO)
        : new RateLimiter.Decision(
            false, probe.getRemainingTokens(), Duration.ofNanos(probe.getNanosToWaitForRefill()));
  }

  static void checkArguments(String key, Duration maxWait) {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("key cannot be empty");
    }
    if (maxWait != null && maxWait.isNegative()) {
      throw new IllegalArgumentException("maxWait cannot be negative");
    }
  }
}
