package dev.switchboard.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.HttpTestClient;
import dev.switchboard.testing.PostgresTestDatabase;
import dev.switchboard.testing.TcpProxy;
import dev.switchboard.testing.TestKeys;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The database dies mid-run (every connection cut by a proxy) and comes back. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class DatabaseOutageIT {

  static final Duration INTERVAL = Duration.ofSeconds(1);
  static final TcpProxy proxy = TcpProxy.toPostgres();

  @DynamicPropertySource
  static void environment(DynamicPropertyRegistry registry) {
    String direct = PostgresTestDatabase.HOST + ":" + PostgresTestDatabase.PORT + "/";
    String url = PostgresTestDatabase.freshUrl().replace(direct, "127.0.0.1:" + proxy.port() + "/");
    registry.add("DATABASE_URL", () -> url);
    registry.add("SWITCHBOARD_HEALTH_INTERVAL", () -> INTERVAL.toSeconds() + "s");
    // The instances box stays degraded after the outage until the next heartbeat writes its row.
    registry.add("SWITCHBOARD_HEARTBEAT_INTERVAL", () -> INTERVAL.toSeconds() + "s");
    registry.add("SWITCHBOARD_ADMIN_API_KEY", () -> TestKeys.ADMIN);
    registry.add("SWITCHBOARD_DATA_DIR", () -> "target/it-data/database-outage");
  }

  /**
   * The proxy closes with the application, after it stopped: closed first, the stopping application
   * would wait out its shutdown grace for jobs writing their outcome to a database that is gone.
   */
  @TestConfiguration
  static class ProxyClosedAfterTheApplication {
    @Bean(destroyMethod = "close")
    TcpProxy databaseProxy() {
      return proxy;
    }
  }

  @LocalServerPort int port;

  @Autowired JsonMapper json;

  HttpTestClient http;

  @BeforeEach
  void setUp() {
    http = new HttpTestClient(port).authorized(TestKeys.ADMIN);
  }

  @Test
  void databaseWhenConnectionsCutThenNotReadyAndWhenRestoredThenReadyAgain() {
    JsonNode database = database();
    assertThat(database.get("provider").asString()).isEqualTo("postgresql");
    assertThat(database.get("mode").asString()).isEqualTo("live");
    assertThat(database.get("configured").asBoolean()).isTrue();
    assertThat(database.get("config").get("DATABASE_URL").asString())
        .contains(":" + proxy.port() + "/test");
    awaitUntil("database up before the cut", () -> status(database()).equals("up"));
    assertThat(http.get("/actuator/health/readiness").statusCode()).isEqualTo(200);

    proxy.cut();
    long cutAt = System.nanoTime();

    awaitUntil("readiness 503", () -> http.get("/actuator/health/readiness").statusCode() == 503);
    Duration detected = Duration.ofNanos(System.nanoTime() - cutAt);
    assertThat(detected).isLessThan(INTERVAL.multipliedBy(2).plusSeconds(2));
    assertThat(http.get("/api/health").statusCode()).isEqualTo(503);
    assertThat(json.readTree(http.get("/api/health").body()).get("status").asString())
        .isEqualTo("down");
    JsonNode down = database();
    assertThat(status(down)).isEqualTo("down");
    assertThat(down.get("health").get("detail").asString()).isNotBlank();
    assertThat(http.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
    assertThat(http.get("/actuator/prometheus").body())
        .contains(
            "switchboard_integration_up{integration=\"database\",provider=\"postgresql\"} 0.0");

    proxy.restore();

    awaitUntil("readiness 200", () -> http.get("/actuator/health/readiness").statusCode() == 200);
    awaitUntil("/api/health 200", () -> http.get("/api/health").statusCode() == 200);
    assertThat(status(database())).isEqualTo("up");
    // The boxes that read the database (errors, jobs, instances) find it back at their own next
    // check or heartbeat, up to an interval after the database's: the map is all up again once
    // they have.
    awaitUntil(
        "every box up again",
        () ->
            json.readTree(http.get("/api/integrations").body())
                .get("status")
                .asString()
                .equals("up"));
  }

  JsonNode database() {
    JsonNode integrations = json.readTree(http.get("/api/integrations").body()).get("integrations");
    for (JsonNode integration : integrations) {
      if (integration.get("id").asString().equals("database")) {
        return integration;
      }
    }
    throw new AssertionError("no database integration in " + integrations);
  }

  static String status(JsonNode integration) {
    return integration.get("health").get("status").asString();
  }

  /**
   * Polls until the condition holds; the deadline is generous for a loaded build machine, not a
   * target.
   */
  static void awaitUntil(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what, e);
      }
    }
  }
}
