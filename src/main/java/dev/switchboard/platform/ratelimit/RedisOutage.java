package dev.switchboard.platform.ratelimit;

import dev.switchboard.platform.outage.Outage;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the Redis limiter should skip Redis for now. After a failed call, callers go straight to
 * the local buckets; every {@link #PROBE_EVERY} one caller (the probe) tries Redis again, and its
 * success ends the outage for all. So an outage costs requests nothing beyond the probe's own
 * request timeout, whether Redis refuses connections, resets them or accepts them and never
 * answers. The start and the end of an outage are each logged once.
 */
final class RedisOutage {

  static final Duration PROBE_EVERY = Duration.ofSeconds(1);
  private static final Logger log = LoggerFactory.getLogger(RedisRateLimiter.class);

  private final String where;
  private final Outage outage;
  private final AtomicLong outages = new AtomicLong();
  private final AtomicLong localDecisions = new AtomicLong();

  /**
   * @param where the Redis address as shown in logs (scheme, host and port)
   * @param nanoTime the monotonic time source (a manual one in tests)
   */
  RedisOutage(String where, LongSupplier nanoTime) {
    this.where = where;
    this.outage = new Outage(PROBE_EVERY, nanoTime);
  }

  /** The caller's way this time: through Redis (maybe as the probe) or straight to memory. */
  enum Route {
    REDIS,
    PROBE,
    LOCAL
  }

  Route route() {
    return switch (outage.route()) {
      case THROUGH -> Route.REDIS;
      case PROBE -> Route.PROBE;
      case SKIP -> {
        localDecisions.incrementAndGet();
        yield Route.LOCAL;
      }
    };
  }

  /** Redis answered: ends an outage if there was one. */
  void succeeded(Route route) {
    if (route == Route.PROBE) {
      outage
          .recovered()
          .ifPresent(
              lasted ->
                  log.info(
                      "Redis at {} answers again after {} s; rate limits are shared across"
                          + " instances again ({} decisions were taken in this instance's memory"
                          + " meanwhile)",
                      where,
                      lasted.toSeconds(),
                      localDecisions.getAndSet(0)));
      outage.probeDone();
    }
  }

  /** Redis failed or timed out: starts an outage, or schedules the next probe of one. */
  void failed(Route route, RuntimeException e) {
    if (outage.failed()) {
      localDecisions.incrementAndGet();
      outages.incrementAndGet();
      log.warn(
          "Rate limits fall back to this instance's memory: Redis at {} failed ({}). Limits hold"
              + " per instance, not across instances, until Redis answers again; it is tried"
              + " again every {} ms",
          where,
          e.getClass().getSimpleName(),
          PROBE_EVERY.toMillis());
    }
    if (route == Route.PROBE) {
      outage.probeDone();
    }
  }

  /** Whether limits are being decided in memory now. */
  boolean down() {
    return outage.down();
  }

  /** How many outages began since start. */
  long outages() {
    return outages.get();
  }
}
