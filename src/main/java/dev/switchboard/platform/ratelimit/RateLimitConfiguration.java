package dev.switchboard.platform.ratelimit;

import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.platform.redis.RedisConnections;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Picks the rate limiter: Redis-backed when {@code REDIS_URL} is set, in memory otherwise. */
@Configuration(proxyBeanMethods = false)
public class RateLimitConfiguration {

  @Bean
  RateLimiter rateLimiter(SwitchboardConfig config, ObjectProvider<RedisConnections> redis) {
    InMemoryRateLimiter local = new InMemoryRateLimiter();
    if (config.core().redisUrl().isPresent()) {
      return new RedisRateLimiter(redis.getObject(), local);
    }
    return local;
  }
}
