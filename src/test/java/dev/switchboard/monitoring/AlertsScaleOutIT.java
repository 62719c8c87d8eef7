package dev.switchboard.monitoring;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.switchboard.Switchboard;
import dev.switchboard.platform.integrations.HealthStatus;
import dev.switchboard.testing.Eventually;
import dev.switchboard.testing.PostgresTestDatabase;
import dev.switchboard.testing.TcpProxy;
import dev.switchboard.testing.TestRedis;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.json.JsonMapper;

/**
 * Several application instances on one PostgreSQL schema, and an instance restarted mid-incident:
 * PagerDuty still gets one trigger and one resolve, with the same dedup_key.
 */
class AlertsScaleOutIT {

  static final String DEDUP = "switchboard/development/integration_down/redis";
  final JsonMapper json = JsonMapper.builder().build();
  final List<ConfigurableApplicationContext> instances = new ArrayList<>();
  TcpProxy redis;
  WireMockServer pagerduty;
  String database;

  @BeforeEach
  void start() {
    redis = new TcpProxy("127.0.0.1", URI.create(TestRedis.URL).getPort());
    pagerduty = new WireMockServer(options().dynamicPort());
    pagerduty.start();
    pagerduty.stubFor(
        post(urlPathEqualTo("/v2/enqueue"))
            .willReturn(
                aResponse()
                    .withStatus(202)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"status\":\"success\",\"message\":\"Event processed\"}")));
    database = PostgresTestDatabase.freshUrl();
  }

  @AfterEach
  void stop() {
    instances.forEach(ConfigurableApplicationContext::close);
    redis.close();
    pagerduty.stop();
  }

  @Test
  void outageWhenThreeInstancesShareTheDatabaseThenOneTriggerAndOneResolve() {
    for (String name : List.of("a", "b", "c")) {
      instances.add(instance(name));
    }
    instances.forEach(this::awaitRedisUp);

    redis.cut();
    Eventually.await("a trigger", Duration.ofSeconds(30), () -> events("trigger") >= 1);
    AlertsIT.pause(Duration.ofSeconds(3));
    assertThat(events("trigger")).as("three instances, one page").isEqualTo(1);

    redis.restore();
    Eventually.await("a resolve", Duration.ofSeconds(30), () -> events("resolve") >= 1);
    AlertsIT.pause(Duration.ofSeconds(3));
    assertThat(events("resolve")).isEqualTo(1);
    assertThat(events("trigger")).isEqualTo(1);
  }

  @Test
  void outageWhenTheInstanceRestartsWhileDownThenNoSecondTriggerAndTheResolveUsesTheSameKey() {
    ConfigurableApplicationContext first = instance("before");
    instances.add(first);
    awaitRedisUp(first);
    redis.cut();
    Eventually.await("a trigger", Duration.ofSeconds(30), () -> events("trigger") >= 1);
    first.close();
    instances.remove(first);

    ConfigurableApplicationContext second = instance("after");
    instances.add(second);
    Eventually.await(
        "the new instance counts redis down",
        Duration.ofSeconds(30),
        () -> second.getBean(HealthStreaks.class).down("redis"));
    AlertsIT.pause(Duration.ofSeconds(2));
    assertThat(events("trigger")).as("the open incident survived the restart").isEqualTo(1);

    redis.restore();
    Eventually.await("a resolve", Duration.ofSeconds(30), () -> events("resolve") >= 1);
    AlertsIT.pause(Duration.ofSeconds(2));
    assertThat(events("resolve")).isEqualTo(1);
    assertThat(second.getBean(AlertStore.class).openIncidents()).isEmpty();
  }

  ConfigurableApplicationContext instance(String name) {
    Map<String, Object> env = new HashMap<>();
    env.put("DATABASE_URL", database);
    env.put("REDIS_URL", "redis://127.0.0.1:" + redis.port());
    env.put("PORT", "0");
    env.put("SWITCHBOARD_HEALTH_INTERVAL", "1s");
    env.put("ALERT_EVALUATE_INTERVAL", "200ms");
    env.put("ALERT_LEASE", "2s");
    env.put("PAGERDUTY_ROUTING_KEY", "ScaleOutRoutingKey0123456789abcd");
    env.put("PAGERDUTY_EVENTS_URL", pagerduty.baseUrl() + "/v2/enqueue");
    env.put("SWITCHBOARD_DATA_DIR", "target/it-data/alerts-scale-" + name);
    // One secret for every instance on the database, as deployment.md asks: an instance that
    // cannot open the stored signing keys refuses to start.
    env.put("SWITCHBOARD_AUTH_KEY_SECRET", "alerts-scale-out-auth-key-secret-0123456789");
    env.put("server.port", "0");
    return new SpringApplicationBuilder(Switchboard.class).properties(env).run();
  }

  void awaitRedisUp(ConfigurableApplicationContext instance) {
    Eventually.await(
        "redis up",
        Duration.ofSeconds(30),
        () -> instance.getBean(HealthMonitor.class).health("redis").status() == HealthStatus.UP);
  }

  long events(String action) {
    return pagerduty.getAllServeEvents().stream()
        .map(e -> json.readTree(e.getRequest().getBodyAsString()))
        .filter(
            n ->
                n.get("event_action").asString().equals(action)
                    && n.get("dedup_key").asString().equals(DEDUP))
        .count();
  }
}
