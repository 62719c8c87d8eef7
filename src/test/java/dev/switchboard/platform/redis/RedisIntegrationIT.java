package dev.switchboard.platform.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.platform.config.Secret;
import dev.switchboard.platform.integrations.HealthResult;
import dev.switchboard.platform.integrations.HealthStatus;
import dev.switchboard.platform.integrations.Integration;
import dev.switchboard.testing.TestRedis;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RedisIntegrationIT {

  @Test
  void healthCheckWhenRedisAnswersThenUp() throws Exception {
    try (RedisConnections redis =
        RedisConnections.create(Secret.of(TestRedis.URL), Clock.systemUTC())) {
      Integration integration =
          RedisConfiguration.redisIntegration(
              Secret.of(TestRedis.URL), redis, Duration.ofSeconds(30));

      HealthResult result = integration.healthCheck().check();

      assertThat(result.status()).isEqualTo(HealthStatus.UP);
      assertThat(result.detail()).isEqualTo("PING ok");
    }
  }

  @Test
  void healthCheckWhenPortClosedThenDownWithoutHanging() throws Exception {
    Secret url = Secret.of("redis://127.0.0.1:" + closedPort());
    try (RedisConnections redis = RedisConnections.create(url, Clock.systemUTC())) {
      Integration integration =
          RedisConfiguration.redisIntegration(url, redis, Duration.ofSeconds(30));
      long started = System.nanoTime();

      HealthResult first = integration.healthCheck().check();
      HealthResult second = integration.healthCheck().check();

      assertThat(first.status()).isEqualTo(HealthStatus.DOWN);
      assertThat(first.detail()).isEqualTo("unreachable");
      assertThat(second.status()).isEqualTo(HealthStatus.DOWN);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
    }
  }

  @Test
  void redisIntegrationThenDescribesItselfWithoutCredentials() {
    Secret url = Secret.of("redis://default:hunter2-very-secret@127.0.0.1:6379/0");
    try (RedisConnections redis = RedisConnections.create(url, Clock.systemUTC())) {
      Integration integration =
          RedisConfiguration.redisIntegration(url, redis, Duration.ofSeconds(15));

      assertThat(integration.id()).isEqualTo("redis");
      assertThat(integration.area()).isEqualTo("platform");
      assertThat(integration.provider()).isEqualTo("redis");
      assertThat(integration.mode()).isEqualTo(Integration.Mode.LIVE);
      assertThat(integration.configured()).isTrue();
      assertThat(integration.checkInterval()).isEqualTo(Duration.ofSeconds(15));
      assertThat(integration.maskedConfig())
          .containsEntry("REDIS_URL", "redis://****@127.0.0.1:6379/…");
      assertThat(integration.toString()).doesNotContain("hunter2");
      assertThat(redis.displayUrl()).doesNotContain("hunter2");
    }
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
