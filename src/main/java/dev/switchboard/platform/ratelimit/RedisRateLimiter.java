package dev.switchboard.platform.ratelimit;

import dev.switchboard.platform.config.Rate;
import dev.switchboard.platform.redis.RedisConnections;
import io.github.bucket4j.BlockingStrategy;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bucket4j buckets stored in Redis (compare-and-swap through Lettuce), so every instance shares one
 * bucket per key and the limit holds across instances. Keys expire once their bucket would be full
 * again, so Redis does not keep buckets of callers long gone.
 *
 * <p>When Redis cannot be reached, each instance enforces the limits in memory until it is back
 * (logged, at most once every 30 s): the limit then holds per instance rather than globally, and
 * neither inbound requests nor outbound workers stop because of Redis.
 *
 * @see <a href="https://bucket4j.com/8.14.0/toc.html#bucket4j-redis">Bucket4j Redis integration</a>
 */
public final class RedisRateLimiter implements RateLimiter {

  public static final String DEFAULT_PREFIX = "switchboard:ratelimit:";
  static final Duration KEEP_AFTER_FULL = Duration.ofSeconds(10);
  private static final long WARN_EVERY_NANOS = Duration.ofSeconds(30).toNanos();
  private static final Logger log = LoggerFactory.getLogger(RedisRateLimiter.class);

  private final RedisConnections redis;
  private final String prefix;
  private final TimeMeter clientClock;
  private final BlockingStrategy blocking;
  private final RateLimiter fallback;
  private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);
  private volatile ProxyManager<String> proxies;

  public RedisRateLimiter(RedisConnections redis, RateLimiter fallback) {
    this(redis, DEFAULT_PREFIX, null, BlockingStrategy.PARKING, fallback);
  }

  /**
   * @param prefix put before every key, so tests and several deployments can share one Redis
   * @param clientClock the time the buckets are computed with, or {@code null} for the system
   *     clock; must agree across instances, so only tests replace it
   */
  RedisRateLimiter(
      RedisConnections redis,
      String prefix,
      TimeMeter clientClock,
      BlockingStrategy blocking,
      RateLimiter fallback) {
    this.redis = redis;
    this.prefix = prefix;
    this.clientClock = clientClock;
    this.blocking = blocking;
    this.fallback = fallback;
  }

  @Override
  public Decision tryAcquire(String key, Rate rate) {
    Buckets.checkArguments(key, Duration.ZERO);
    try {
      return Buckets.tryAcquire(bucket(key, rate));
    } catch (RuntimeException e) {
      warn(e);
      return fallback.tryAcquire(key, rate);
    }
  }

  @Override
  public boolean acquire(String key, Rate rate, Duration maxWait) throws InterruptedException {
    Buckets.checkArguments(key, maxWait);
    Bucket bucket;
    try {
      bucket = bucket(key, rate);
      return bucket.asBlocking().tryConsume(1, maxWait, blocking);
    } catch (RuntimeException e) {
      warn(e);
      return fallback.acquire(key, rate, maxWait);
    }
  }

  /**
   * The Redis key of a bucket: the rate is part of it, so changing a limit starts a fresh bucket.
   */
  String redisKey(String key, Rate rate) {
    return prefix + key + ":" + rate;
  }

  private Bucket bucket(String key, Rate rate) {
    return proxies().builder().build(redisKey(key, rate), () -> Buckets.configuration(rate));
  }

  private ProxyManager<String> proxies() {
    ProxyManager<String> current = proxies;
    if (current == null) {
      synchronized (this) {
        if (proxies == null) {
          var builder =
              Bucket4jLettuce.casBasedBuilder(redis.connection())
                  .expirationAfterWrite(
                      ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                          KEEP_AFTER_FULL));
          if (clientClock != null) {
            builder.clientClock(clientClock);
          }
          proxies = builder.build();
        }
        current = proxies;
      }
    }
    return current;
  }

  private void warn(RuntimeException e) {
    long now = System.nanoTime();
    long last = lastWarning.get();
    if (now - last >= WARN_EVERY_NANOS && lastWarning.compareAndSet(last, now)) {
      log.warn(
          "Rate limits fall back to this instance's memory: Redis at {} failed ({})",
          redis.displayUrl(),
          e.getClass().getSimpleName());
    }
  }
}
