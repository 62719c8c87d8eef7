package dev.switchboard.platform.redis;

import dev.switchboard.platform.config.Secret;
import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.platform.integrations.Integration;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * The Redis client and its {@code redis} box on the integration map; nothing here exists without
 * {@code REDIS_URL}.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(RedisUrlIsSet.class)
public class RedisConfiguration {

  @Bean(destroyMethod = "close")
  RedisConnections redisConnections(SwitchboardConfig config, Clock clock) {
    Secret url =
        config
            .core()
            .redisUrl()
            .orElseThrow(() -> new IllegalStateException("REDIS_URL is set but was not read"));
    return RedisConnections.create(url, clock);
  }

  @Bean
  Integration redisIntegration(SwitchboardConfig config, RedisConnections redis) {
    return redisIntegration(
        config.core().redisUrl().orElseThrow(), redis, config.core().healthInterval());
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
