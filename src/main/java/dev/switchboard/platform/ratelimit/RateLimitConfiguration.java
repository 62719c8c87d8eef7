package dev.switchboard.platform.ratelimit;

import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.platform.http.ErrorResponses;
import dev.switchboard.platform.redis.RedisConnections;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Picks the rate limiter: Redis-backed when {@code REDIS_URL} is set, in memory otherwise. */
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

  @Bean
  RateLimitFilter rateLimitFilter(
      RateLimiter limiter,
      SwitchboardConfig config,
      List<RateLimitRule> rules,
      ErrorResponses errors) {
    return new RateLimitFilter(limiter, config, rules, errors);
  }
}
