package dev.switchboard.platform.redis;

import dev.switchboard.platform.config.Secret;
import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.platform.integrations.Integration;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Redis client and its {@code redis} box on the integration map; nothing here exists without
 * {@code REDIS_URL}.
 *
 * <p>Decided when the beans are made, not by a condition: a bean method that returns {@code null}
 * leaves no bean (Spring registers none of that type for injection), and Spring AOT, which writes
 * the bean definitions at build time, would have fixed a condition's answer for every start.
 */
@Configuration(proxyBeanMethods = false)
public class RedisConfiguration {

  @Bean(destroyMethod = "close")
  RedisConnections redisConnections(SwitchboardConfig config, Clock clock) {
    return config.core().redisUrl().map(url -> RedisConnections.create(url, clock)).orElse(null);
  }

  @Bean
  Integration redisIntegration(SwitchboardConfig config, ObjectProvider<RedisConnections> redis) {
    RedisConnections connections = redis.getIfAvailable();
    return connections == null
        ? null
        : redisIntegration(
            config.core().redisUrl().orElseThrow(), connections, config.core().healthInterval());
  }

  /** The {@code redis} integration: area platform, provider redis, live, health = {@code PING}. */
  public static Integration redisIntegration(
      Secret url, RedisConnections redis, Duration interval) {
    return new Integration(
        "redis",
        "platform",
        "redis",
        Integration.Mode.LIVE,
        true,
        Map.of("REDIS_URL", url.maskedUrl()),
        Map.of(),
        new RedisHealthCheck(redis, RedisHealthCheck.TIMEOUT),
        interval,
        RedisHealthCheck.TIMEOUT.multipliedBy(2));
  }
}
