package dev.switchboard.platform.ratelimit;

import dev.switchboard.platform.config.Rate;
import io.github.bucket4j.BlockingStrategy;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bucket4j local buckets, one per key and rate, for a single instance (no {@code REDIS_URL}).
 * Buckets that have refilled completely are dropped now and then: a full bucket behaves exactly
 * like a new one, so forgetting it loses nothing, and memory stays proportional to the callers
 * active within one refill period.
 */
public final class InMemoryRateLimiter implements RateLimiter {

  static final Duration SWEEP_EVERY = Duration.ofSeconds(10);

  private final TimeMeter time;
  private final BlockingStrategy blocking;
  private final ConcurrentHashMap<Key, Entry> buckets = new ConcurrentHashMap<>();
  private final AtomicLong lastSweep;

  private record Entry(Bucket bucket, Rate rate) {}

  /** One bucket per key and rate; a record, so a lookup builds no string. */
  private record Key(String key, Rate rate) {}

  public InMemoryRateLimiter() {
    this(TimeMeter.SYSTEM_NANOTIME, BlockingStrategy.PARKING);
  }

  /**
   * @param time the time source of every bucket (a manual one in tests)
   * @param blocking how {@link #acquire} waits (one that advances the manual time in tests)
   */
  InMemoryRateLimiter(TimeMeter time, BlockingStrategy blocking) {
    this.time = time;
    this.blocking = blocking;
    this.lastSweep = new AtomicLong(time.currentTimeNanos());
  }

  @Override
  public Decision tryAcquire(String key, Rate rate) {
    Buckets.checkArguments(key, Duration.ZERO);
    Decision decision = Buckets.tryAcquire(bucket(key, rate));
    sweepIfDue();
    return decision;
  }

  @Override
  public boolean acquire(String key, Rate rate, Duration maxWait) throws InterruptedException {
    Buckets.checkArguments(key, maxWait);
    boolean taken = bucket(key, rate).asBlocking().tryConsume(1, maxWait, blocking);
    sweepIfDue();
    return taken;
  }

  /** How many buckets are held; for tests of the cleanup. */
  int size() {
    return buckets.size();
  }

  private Bucket bucket(String key, Rate rate) {
    return buckets
        .computeIfAbsent(
            new Key(key, rate),
            k ->
                new Entry(
                    Bucket.builder()
                        .addLimit(Buckets.configuration(rate).getBandwidths()[0])
                        .withCustomTimePrecision(time)
                        .build(),
                    rate))
        .bucket();
  }

  /**
   * Drops full buckets, at most once per {@link #SWEEP_EVERY}, on the calling thread. A caller that
   * fetched a bucket just before it was dropped may take one permit from it while the next caller
   * starts a fresh one: at worst one extra permit, only for a caller that had been idle a whole
   * period.
   */
  void sweepIfDue() {
    long now = time.currentTimeNanos();
    long last = lastSweep.get();
    if (now - last < SWEEP_EVERY.toNanos() || !lastSweep.compareAndSet(last, now)) {
      return;
    }
    buckets
        .entrySet()
        .removeIf(e -> e.getValue().bucket().getAvailableTokens() >= e.getValue().rate().permits());
  }
}
