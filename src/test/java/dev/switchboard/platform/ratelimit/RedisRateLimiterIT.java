package dev.switchboard.platform.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.platform.config.Rate;
import dev.switchboard.platform.config.Secret;
import dev.switchboard.platform.redis.RedisConnections;
import dev.switchboard.testing.TcpProxy;
import dev.switchboard.testing.TestRedis;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two limiters with their own connections stand for two instances sharing the machine's Redis. */
class RedisRateLimiterIT {

  private final String prefix = "test:ratelimit:" + UUID.randomUUID() + ":";
  private final ManualTime time = new ManualTime();
  private final RedisConnections redisA =
      RedisConnections.create(Secret.of(TestRedis.URL), Clock.systemUTC());
  private final RedisConnections redisB =
      RedisConnections.create(Secret.of(TestRedis.URL), Clock.systemUTC());
  private final RedisRateLimiter instanceA = limiter(redisA);
  private final RedisRateLimiter instanceB = limiter(redisB);

  @AfterEach
  void tearDown() {
    redisA.close();
    redisB.close();
  }

  @Test
  void tryAcquireWhenTwoInstancesShareABucketThenExactlyCapacityIsAdmitted() {
    Rate rate = Rate.parse("10/min");

    int admitted = attempts(20, rate);

    assertThat(redisA.connection()).isNotSameAs(redisB.connection());
    assertThat(admitted).isEqualTo(10);
  }

  @Test
  void tryAcquireWhenPeriodPassesThenSharedBucketRefills() {
    Rate rate = Rate.parse("10/min");
    attempts(20, rate);

    time.advance(Duration.ofMinutes(1));

    assertThat(attempts(20, rate)).isEqualTo(10);
  }

  @Test
  void tryAcquireWhenRefusedThenRetryAfterSaysWhenTheNextPermitComes() {
    Rate rate = Rate.parse("3/min");
    attempts(3, rate);

    RateLimiter.Decision refused = instanceB.tryAcquire("k", rate);

    assertThat(refused.allowed()).isFalse();
    assertThat(refused.remaining()).isZero();
    assertThat(refused.retryAfter()).isEqualTo(Duration.ofSeconds(20));
  }

  @Test
  void tryAcquireThenRedisKeyExpiresOnceTheBucketWouldBeFull() {
    Rate rate = Rate.parse("10/min");
    instanceA.tryAcquire("k", rate);

    Long ttl = redisA.connection().sync().pttl(instanceA.redisKey("k", rate));

    assertThat(ttl)
        .isPositive()
        .isLessThanOrEqualTo(
            Duration.ofSeconds(6).plus(RedisRateLimiter.KEEP_AFTER_FULL).toMillis());
  }

  @Test
  void acquireWhenTwoInstancesWaitThenTogetherTheyKeepTheRate() throws InterruptedException {
    Rate rate = Rate.parse("10/s");
    for (int i = 0; i < 15; i++) {
      RedisRateLimiter instance = i % 2 == 0 ? instanceA : instanceB;
      assertThat(instance.acquire("k", rate, Duration.ofSeconds(5))).isTrue();
    }
    // 10 from the full bucket, 5 more at 10/s.
    assertThat(time.parked()).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void tryAcquireWhenRedisUnreachableThenFallsBackToLocalLimits() throws IOException {
    RedisConnections down =
        RedisConnections.create(Secret.of("redis://127.0.0.1:" + closedPort()), Clock.systemUTC());
    try {
      RedisRateLimiter limiter =
          new RedisRateLimiter(down, prefix, time, time, new InMemoryRateLimiter(time, time));
      int admitted = 0;
      for (int i = 0; i < 5; i++) {
        admitted += limiter.tryAcquire("k", Rate.parse("3/min")).allowed() ? 1 : 0;
      }
      assertThat(admitted).isEqualTo(3);
    } finally {
      down.close();
    }
  }

  @Test
  void tryAcquireWhenRedisHangsThenOnlyTheProbeWaitsAndLimitsAreKeptLocallyUntilItAnswers()
      throws Exception {
    try (TcpProxy proxy = redisProxy();
        RedisConnections viaProxy = viaProxy(proxy)) {
      RedisRateLimiter limiter = limiter(viaProxy);
      Rate rate = Rate.parse("3/min");
      assertThat(limiter.tryAcquire("warm", Rate.parse("100/s")).allowed()).isTrue();

      proxy.freeze();
      long first = 0;
      long slowestAfter = 0;
      int admitted = 0;
      for (int i = 0; i < 10; i++) {
        long start = System.nanoTime();
        admitted += limiter.tryAcquire("k", rate).allowed() ? 1 : 0;
        long took = (System.nanoTime() - start) / 1_000_000;
        if (i == 0) {
          first = took;
        } else {
          slowestAfter = Math.max(slowestAfter, took);
        }
      }

      // Two round trips (read, compare-and-swap) at most, each cut at the request timeout.
      assertThat(first).isLessThan(RedisRateLimiter.REQUEST_TIMEOUT.toMillis() * 2 + 300);
      assertThat(slowestAfter).as("requests after the first failure skip Redis").isLessThan(50);
      assertThat(admitted).as("the local bucket keeps the limit").isEqualTo(3);
      assertThat(limiter.degraded()).isTrue();
      assertThat(limiter.outages()).isEqualTo(1);

      proxy.thaw();
      awaitRecovered(limiter);
      assertThat(limiter.outages()).as("one outage, logged once").isEqualTo(1);
    }
  }

  @Test
  void tryAcquireWhenRedisCutAndRestoredThenLocalMeanwhileAndSharedAgainAfter() throws Exception {
    try (TcpProxy proxy = redisProxy();
        RedisConnections viaProxy = viaProxy(proxy)) {
      RedisRateLimiter limiter = limiter(viaProxy);
      Rate rate = Rate.parse("10/min");
      assertThat(limiter.tryAcquire("k", rate).allowed()).isTrue();

      proxy.cut();
      long slowest = 0;
      for (int i = 0; i < 20; i++) {
        long start = System.nanoTime();
        limiter.tryAcquire("other", rate);
        slowest = Math.max(slowest, (System.nanoTime() - start) / 1_000_000);
      }
      assertThat(slowest).isLessThan(RedisRateLimiter.REQUEST_TIMEOUT.toMillis() * 2 + 300);
      assertThat(limiter.degraded()).isTrue();

      proxy.restore();
      awaitRecovered(limiter);
      // Shared again: the bucket taken from before the cut is the one in Redis (9 left of 10).
      assertThat(instanceA.tryAcquire("k", rate).remaining()).isEqualTo(8);
      assertThat(limiter.outages()).isEqualTo(1);
    }
  }

  private static TcpProxy redisProxy() {
    return new TcpProxy("127.0.0.1", URI.create(TestRedis.URL).getPort());
  }

  private static RedisConnections viaProxy(TcpProxy proxy) {
    return RedisConnections.create(
        Secret.of("redis://127.0.0.1:" + proxy.port()), Clock.systemUTC());
  }

  private static void awaitRecovered(RedisRateLimiter limiter) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (limiter.degraded()) {
      assertThat(System.nanoTime()).as("recovered within 15 s").isLessThan(deadline);
      limiter.tryAcquire("probe", Rate.parse("1000/s"));
      Thread.sleep(100);
    }
  }

  private int attempts(int count, Rate rate) {
    int admitted = 0;
    for (int i = 0; i < count; i++) {
      RedisRateLimiter instance = i % 2 == 0 ? instanceA : instanceB;
      admitted += instance.tryAcquire("k", rate).allowed() ? 1 : 0;
    }
    return admitted;
  }

  private RedisRateLimiter limiter(RedisConnections redis) {
    return new RedisRateLimiter(redis, prefix, time, time, new InMemoryRateLimiter(time, time));
  }

  static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
