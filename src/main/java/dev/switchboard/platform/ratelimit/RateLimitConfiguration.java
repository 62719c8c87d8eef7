package dev.switchboard.platform.ratelimit;

import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.platform.redis.RedisConnections;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** Picks the rate limiter: Redis-backed when {@code REDIS_URL} is set, in memory otherwise. */
@Import({RateLimitFilter.class})
@Configuration(proxyBeanMethods = false)
public class RateLimitConfiguration {

  @Bean
  RateLimiter rateLimiter(
      SwitchboardConfig config,
      ObjectProvider<RedisConnections> redis,
      ObjectProvider<MeterRegistry> meters) {
    InMemoryRateLimiter local = new InMemoryRateLimiter();
    if (config.core().redisUrl().isPresent()) {
      RedisRateLimiter shared = new RedisRateLimiter(redis.getObject(), local);
      meters.ifAvailable(
          registry ->
              Gauge.builder(
                      "switchboard.ratelimit.local.fallback", shared, l -> l.degraded() ? 1 : 0)
                  .description(
                      "1 while Redis fails and rate limits are decided in this instance's memory")
                  .register(registry));
      return shared;
    }
    return local;
  }
}
