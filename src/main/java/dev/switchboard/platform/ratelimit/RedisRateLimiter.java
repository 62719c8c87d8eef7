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

/**
 * Bucket4j buckets stored in Redis (compare-and-swap through Lettuce), so every instance shares one
 * bucket per key and the limit holds across instances. Keys expire once their bucket would be full
 * again, so Redis does not keep buckets of callers long gone.
 *
 * <p>When Redis cannot be reached, refuses connections or stops answering within {@link
 * #REQUEST_TIMEOUT}, each instance enforces the limits in memory until it is back ({@link
 * RedisOutage}: logged once when it starts and once when it ends, Redis tried again once a second
 * by a single request): the limit then holds per instance rather than globally, and neither inbound
 * requests nor outbound workers stop or wait because of Redis.
 *
 * @see <a href="https://bucket4j.com/8.14.0/toc.html#bucket4j-redis">Bucket4j Redis integration</a>
 */
public final class RedisRateLimiter implements RateLimiter {

  public static final String DEFAULT_PREFIX = "switchboard:ratelimit:";
  static final Duration KEEP_AFTER_FULL = Duration.ofSeconds(10);

  /**
   * The longest one Redis round trip of a limit check may take before the check is decided in
   * memory: a rate limit is on every request's path, and Redis answers in well under a millisecond
   * when healthy.
   */
  static final Duration REQUEST_TIMEOUT = Duration.ofMillis(200);

  private final RedisConnections redis;
  private final String prefix;
  private final TimeMeter clientClock;
  private final BlockingStrategy blocking;
  private final RateLimiter fallback;
  private final RedisOutage outage;
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
    this.outage = new RedisOutage(redis.displayUrl(), System::nanoTime);
  }

  @Override
  public Decision tryAcquire(String key, Rate rate) {
    Buckets.checkArguments(key, Duration.ZERO);
    RedisOutage.Route route = outage.route();
    if (route == RedisOutage.Route.LOCAL) {
      return fallback.tryAcquire(key, rate);
    }
    Decision decision;
    try {
      decision = Buckets.tryAcquire(bucket(key, rate));
    } catch (RuntimeException e) {
      outage.failed(route, e);
      return fallback.tryAcquire(key, rate);
    }
    outage.succeeded(route);
    return decision;
  }

  @Override
  public boolean acquire(String key, Rate rate, Duration maxWait) throws InterruptedException {
    Buckets.checkArguments(key, maxWait);
    RedisOutage.Route route = outage.route();
    if (route == RedisOutage.Route.LOCAL) {
      return fallback.acquire(key, rate, maxWait);
    }
    boolean taken;
    try {
      taken = bucket(key, rate).asBlocking().tryConsume(1, maxWait, blocking);
    } catch (RuntimeException e) {
      outage.failed(route, e);
      return fallback.acquire(key, rate, maxWait);
    }
    outage.succeeded(route);
    return taken;
  }

  /**
   * Whether limits are decided in this instance's memory now because Redis failed (for the map,
   * metrics and tests).
   */
  public boolean degraded() {
    return outage.down();
  }

  /** How many Redis outages this limiter went through since it started. */
  public long outages() {
    return outage.outages();
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
                          KEEP_AFTER_FULL))
                  .requestTimeout(REQUEST_TIMEOUT);
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
}
