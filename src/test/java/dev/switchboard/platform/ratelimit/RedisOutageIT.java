package dev.switchboard.platform.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.platform.config.Rate;
import dev.switchboard.testing.HttpTestClient;
import dev.switchboard.testing.TcpProxy;
import dev.switchboard.testing.TestKeys;
import dev.switchboard.testing.TestRedis;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Redis goes away under a running server (every connection cut by a proxy) and comes back: requests
 * keep being answered, limited per instance meanwhile, the outage is logged once and shown on the
 * map and in metrics, and limits are shared again without a restart.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class RedisOutageIT {

  static final TcpProxy redis = new TcpProxy("127.0.0.1", URI.create(TestRedis.URL).getPort());
  static final String FALLBACK = "Rate limits fall back to this instance's memory";
  static final String BACK = "rate limits are shared across instances again";

  @DynamicPropertySource
  static void environment(DynamicPropertyRegistry registry) {
    registry.add("REDIS_URL", () -> "redis://127.0.0.1:" + redis.port());
    registry.add("SWITCHBOARD_API_RATE_LIMIT", () -> "100000/s");
    registry.add("SWITCHBOARD_HEALTH_INTERVAL", () -> "1s");
    registry.add("SWITCHBOARD_ADMIN_API_KEY", () -> TestKeys.ADMIN);
    registry.add("SWITCHBOARD_DATA_DIR", () -> "target/it-data/redis-outage");
  }

  @AfterAll
  static void closeProxy() {
    redis.close();
  }

  /** The limit under test, on one path only, so the map and metrics calls are not limited. */
  @TestConfiguration
  static class OutageRule {
    @Bean
    RateLimitRule outageRule() {
      return new RateLimitRule("test.outage", "/api/does-not-exist", Rate.parse("5/min"));
    }
  }

  @LocalServerPort int port;

  @Autowired RateLimiter limiter;

  @Autowired JsonMapper json;

  /** A client address no earlier run used: buckets outlive the JVM in the shared Redis. */
  final String client =
      "10." + (int) (Math.random() * 250) + "." + (int) (Math.random() * 250) + ".7";

  @Test
  void redisWhenCutThenRequestsServedWithLocalLimitsOneWarningAndWhenBackSharedAgain(
      CapturedOutput output) {
    RedisRateLimiter shared = (RedisRateLimiter) limiter.backend();
    HttpTestClient admin = new HttpTestClient(port).authorized(TestKeys.ADMIN);
    awaitUntil("redis up on the map", () -> redisBox(admin).equals("up"));
    awaitUntil(
        "limits shared",
        () -> {
          redisBox(admin); // a limited call, which probes Redis again if it was down
          return !shared.degraded();
        });
    // A first call slower than the request timeout on a loaded machine is an outage of its own
    // before the cut; what follows counts from here.
    String before = output.getAll();
    int earlierWarnings = count(before, FALLBACK);
    int earlierRecoveries = count(before, BACK);
    long earlierOutages = shared.outages();

    redis.cut();
    long slowest = 0;
    int served = 0;
    int limited = 0;
    for (int i = 0; i < 40; i++) {
      long start = System.nanoTime();
      HttpResponse<String> r = anonymous();
      slowest = Math.max(slowest, (System.nanoTime() - start) / 1_000_000);
      if (r.statusCode() == 404) {
        served++;
      } else if (r.statusCode() == 429 && r.body().contains("\"code\":\"rate_limited\"")) {
        limited++;
      }
    }
    assertThat(served).as("answered by the application, limited in memory").isEqualTo(5);
    assertThat(limited).isEqualTo(35);
    assertThat(slowest)
        .as("extra latency bounded by the request timeout")
        .isLessThan(RedisRateLimiter.REQUEST_TIMEOUT.toMillis() * 2 + 500);
    assertThat(shared.degraded()).isTrue();
    assertThat(count(output.getAll(), FALLBACK) - earlierWarnings)
        .as("one warning per outage")
        .isEqualTo(1);
    awaitUntil("redis down on the map", () -> redisBox(admin).equals("down"));
    assertThat(admin.get("/actuator/prometheus").body())
        .contains("switchboard_ratelimit_local_fallback 1.0");

    redis.restore();
    awaitUntil(
        "limits shared again",
        () -> {
          anonymous();
          return !shared.degraded();
        });
    awaitUntil("redis up again on the map", () -> redisBox(admin).equals("up"));
    assertThat(count(output.getAll(), FALLBACK) - earlierWarnings).isEqualTo(1);
    assertThat(count(output.getAll(), BACK) - earlierRecoveries).isEqualTo(1);
    assertThat(shared.outages() - earlierOutages).isEqualTo(1);
    assertThat(admin.get("/actuator/prometheus").body())
        .contains("switchboard_ratelimit_local_fallback 0.0");
  }

  /** An anonymous caller behind a trusted proxy, told apart by its forwarded address. */
  HttpResponse<String> anonymous() {
    return new HttpTestClient(port).get("/api/does-not-exist", "X-Forwarded-For", client);
  }

  /** The health status of the redis box on the map. */
  String redisBox(HttpTestClient admin) {
    for (JsonNode box : json.readTree(admin.get("/api/integrations").body()).get("integrations")) {
      if (box.get("id").asString().equals("redis")) {
        return box.get("health").get("status").asString();
      }
    }
    throw new AssertionError("no redis box on the map");
  }

  static int count(String text, String needle) {
    int n = 0;
    for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
      n++;
    }
    return n;
  }

  static void awaitUntil(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what, e);
      }
    }
  }
}
