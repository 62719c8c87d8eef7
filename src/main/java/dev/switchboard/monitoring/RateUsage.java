package dev.switchboard.monitoring;

import dev.switchboard.platform.config.Rate;
import dev.switchboard.platform.ratelimit.RateLimiter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The permits taken per rate-limit bucket, with the bucket's rate, so the {@code
 * rate_limit_approaching} rule sees how close each limit is (email's {@code EMAIL_RATE_LIMIT},
 * payments', storage's and the inbound API limit alike) without each area reporting it: {@link
 * #meter} wraps the shared {@link RateLimiter}.
 */
public final class RateUsage {

  private final Clock clock;
  private final Duration keep;

  /**
   * By key and rate: a record, so counting a permit builds no string (it runs on every request).
   */
  private final Map<BucketId, Bucket> buckets = new ConcurrentHashMap<>();

  public RateUsage(Clock clock, Duration keep) {
    this.clock = clock;
    this.keep = keep;
  }

  /** The limiter, counting every permit it grants here. */
  public RateLimiter meter(RateLimiter delegate) {
    return new RateLimiter() {
      @Override
      public Decision tryAcquire(String key, Rate rate) {
        Decision decision = delegate.tryAcquire(key, rate);
        if (decision.allowed()) {
          taken(key, rate);
        }
        return decision;
      }

      @Override
      public boolean acquire(String key, Rate rate, Duration maxWait) throws InterruptedException {
        boolean taken = delegate.acquire(key, rate, maxWait);
        if (taken) {
          taken(key, rate);
        }
        return taken;
      }

      @Override
      public RateLimiter backend() {
        return delegate.backend();
      }
    };
  }

  /** Counts one permit taken now; also for callers that charge a limit without this limiter. */
  public void taken(String key, Rate rate) {
    buckets
        .computeIfAbsent(new BucketId(key, rate), id -> new Bucket(new SlidingCounts(keep)))
        .counts
        .add(clock.instant(), 1, 0);
  }

  /**
   * Per bucket: its key, rate, and the share of the rate used over the window (only buckets seen
   * for a full window).
   */
  Map<String, Usage> usage(Instant now, Duration window) {
    // Per-client buckets come and go with their callers: forget those idle for the whole kept
    // span, so the map is bounded by recent callers, not by every caller since start.
    buckets.values().removeIf(bucket -> bucket.counts.idleSince(now.minus(keep)));
    Map<String, Usage> result = new TreeMap<>();
    buckets.forEach(
        (id, bucket) -> {
          long[] sum = bucket.counts.sum(now, window);
          if (sum[2] == 1) {
            double allowed = id.rate.perSecond() * window.toMillis() / 1000.0;
            result.put(id.key + "@" + id.rate, new Usage(id.key, id.rate, sum[0] / allowed));
          }
        });
    return result;
  }

  /** How many buckets are remembered now. */
  int bucketCount() {
    return buckets.size();
  }

  record Usage(String key, Rate rate, double share) {}

  private record BucketId(String key, Rate rate) {}

  private record Bucket(SlidingCounts counts) {}
}
