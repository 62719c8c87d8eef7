package dev.switchboard.platform.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.platform.config.Rate;
import dev.switchboard.platform.integrations.Integration;
import dev.switchboard.platform.redis.RedisConnections;
import dev.switchboard.testing.HttpTestClient;
import dev.switchboard.testing.TestCallers;
import dev.switchboard.testing.TestRedis;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@Import(TestCallers.class)
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "SWITCHBOARD_DATA_DIR=target/it-data/ratelimit-redis",
      "SWITCHBOARD_API_RATE_LIMIT=3/min"
    })
class RateLimitFilterRedisIT {

  @DynamicPropertySource
  static void redis(DynamicPropertyRegistry registry) {
    registry.add("REDIS_URL", () -> TestRedis.URL);
  }

  @LocalServerPort int port;

  @Autowired RateLimiter limiter;

  @Autowired RedisConnections redis;

  @Autowired List<Integration> integrations;

  @Test
  void requestWhenOverApiLimitThen429AndBucketLivesInRedisWithExpiry() {
    // A caller id no earlier run used, since the buckets outlive this JVM in the shared Redis.
    String caller = "key_" + UUID.randomUUID();

    RateLimitResponses.assertFourthOfThreePerMinuteIsLimited(
        RateLimitResponses.get(new HttpTestClient(port), 4, "/api/does-not-exist", caller));

    assertThat(limiter.backend()).isInstanceOf(RedisRateLimiter.class);
    String key =
        ((RedisRateLimiter) limiter.backend())
            .redisKey(RateLimitFilter.API_RULE + ":" + caller, Rate.parse("3/min"));
    assertThat(key).startsWith(RedisRateLimiter.DEFAULT_PREFIX);
    assertThat(redis.connection().sync().pttl(key)).isPositive();
  }

  @Test
  void startupWithRedisUrlThenRedisIntegrationIsRegisteredAndUp() throws Exception {
    Integration redisBox =
        integrations.stream().filter(i -> i.id().equals("redis")).findFirst().orElseThrow();

    assertThat(redisBox.maskedConfig()).containsEntry("REDIS_URL", "redis://127.0.0.1:6379");
    assertThat(redisBox.healthCheck().check().status().id()).isEqualTo("up");
  }
}
