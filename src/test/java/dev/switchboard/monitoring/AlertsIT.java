package dev.switchboard.monitoring;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.switchboard.email.EmailService;
import dev.switchboard.email.StoredMessage;
import dev.switchboard.platform.config.Rate;
import dev.switchboard.platform.jobs.JobQueue;
import dev.switchboard.platform.jobs.JobStatus;
import dev.switchboard.platform.outbound.OutboundException;
import dev.switchboard.platform.outbound.OutboundHttp;
import dev.switchboard.platform.outbound.RetryPolicy;
import dev.switchboard.platform.ratelimit.RateLimiter;
import dev.switchboard.testing.Eventually;
import dev.switchboard.testing.PostgresTestDatabase;
import dev.switchboard.testing.TcpProxy;
import dev.switchboard.testing.TestKeys;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * End to end on PostgreSQL: Redis made to fail (every connection cut) pages PagerDuty once after
 * the threshold and resolves once with the same dedup_key; the same while the database is down at
 * recovery time; a burst of 5xx gives one Slack message; email held at 90 % of its limit gives one
 * warning email. PagerDuty and Slack are local servers; the checks run every second and the rules
 * every 200 ms.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class AlertsIT {

  static final String ROUTING_KEY = "AlertsItRoutingKey0123456789abcd";
  static final String SLACK_PATH = "/services/T000/B000/alertsit";
  static final String DEDUP = "switchboard/development/integration_down/redis";
  static final TcpProxy redis =
      new TcpProxy("127.0.0.1", URI.create(dev.switchboard.testing.TestRedis.URL).getPort());
  static final TcpProxy database = TcpProxy.toPostgres();
  static final WireMockServer providers = new WireMockServer(options().dynamicPort());

  static {
    providers.start();
  }

  @DynamicPropertySource
  static void environment(DynamicPropertyRegistry registry) {
    String direct = PostgresTestDatabase.HOST + ":" + PostgresTestDatabase.PORT + "/";
    String url =
        PostgresTestDatabase.freshUrl().replace(direct, "127.0.0.1:" + database.port() + "/");
    registry.add("DATABASE_URL", () -> url);
    registry.add("REDIS_URL", () -> "redis://127.0.0.1:" + redis.port());
    registry.add("SWITCHBOARD_HEALTH_INTERVAL", () -> "1s");
    registry.add("ALERT_EVALUATE_INTERVAL", () -> "200ms");
    registry.add("ALERT_LEASE", () -> "3s");
    registry.add("ALERT_RATE_LIMIT_FOR", () -> "2s");
    registry.add("EMAIL_RATE_LIMIT", () -> "10/s");
    registry.add("PAGERDUTY_ROUTING_KEY", () -> ROUTING_KEY);
    registry.add("PAGERDUTY_EVENTS_URL", () -> providers.baseUrl() + "/v2/enqueue");
    registry.add("SLACK_WEBHOOK_URL", () -> providers.baseUrl() + SLACK_PATH);
    registry.add("ALERT_EMAIL_TO", () -> "oncall@example.com");
    registry.add("SWITCHBOARD_ADMIN_API_KEY", () -> TestKeys.ADMIN);
    registry.add("SWITCHBOARD_DATA_DIR", () -> "target/it-data/alerts");
  }

  @AfterAll
  static void close() {
    providers.stop();
  }

  /**
   * The proxies close with the application, after it stopped: with the database cut first, the
   * stopping application would wait out its shutdown grace for jobs writing their outcome.
   */
  @TestConfiguration
  static class ProxiesClosedAfterTheApplication {
    @Bean(destroyMethod = "close")
    TcpProxy databaseProxy() {
      return database;
    }

    @Bean(destroyMethod = "close")
    TcpProxy redisProxy() {
      return redis;
    }
  }

  @Autowired JsonMapper json;
  @Autowired OutboundHttp http;
  @Autowired RateLimiter limiter;
  @Autowired EmailService email;
  @Autowired AlertStore store;
  @Autowired JobQueue jobs;

  @BeforeEach
  void answers() {
    providers.resetAll();
    providers.stubFor(
        post(urlPathEqualTo("/v2/enqueue"))
            .willReturn(
                aResponse()
                    .withStatus(202)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"status\":\"success\",\"message\":\"Event processed\"}")));
    providers.stubFor(
        post(urlPathEqualTo(SLACK_PATH)).willReturn(aResponse().withStatus(200).withBody("ok")));
    providers.stubFor(
        any(urlPathEqualTo("/provider/charge")).willReturn(aResponse().withStatus(500)));
  }

  @Test
  void redisWhenCutThenOneTriggerAfterTheThresholdAndWhenBackOneResolveWithTheSameKey() {
    awaitNoOpenIncident("integration_down", "redis");
    redis.cut();
    Eventually.await(
        "one PagerDuty trigger", Duration.ofSeconds(20), () -> events("trigger").size() == 1);
    JsonNode trigger = events("trigger").get(0);
    assertThat(trigger.get("routing_key").asString()).isEqualTo(ROUTING_KEY);
    assertThat(trigger.get("payload").get("severity").asString()).isEqualTo("critical");
    assertThat(trigger.get("payload").get("summary").asString())
        .contains("Integration redis is down")
        .contains("3 failed checks in a row");
    pause(Duration.ofSeconds(2));
    assertThat(events("trigger")).as("still one trigger while down").hasSize(1);

    redis.restore();
    Eventually.await("one resolve", Duration.ofSeconds(20), () -> events("resolve").size() == 1);
    pause(Duration.ofSeconds(2));
    assertThat(events("resolve")).hasSize(1);
    assertThat(events("trigger")).hasSize(1);
    assertThat(events("resolve").get(0).get("dedup_key").asString()).isEqualTo(DEDUP);
  }

  @Test
  void redisWhenItRecoversWhileTheDatabaseIsDownThenTheResolveGoesOutOnceTheDatabaseIsBack() {
    awaitNoOpenIncident("integration_down", "redis");
    redis.cut();
    Eventually.await(
        "one PagerDuty trigger", Duration.ofSeconds(20), () -> events("trigger").size() == 1);
    // Delivery is at least once: a trigger whose job could not record "done" before the cut is
    // sent again once the database is back (PagerDuty folds it by dedup_key). Cut only after
    // the job has recorded it, so this test counts what the resolve path does.
    Eventually.await(
        "the trigger's job recorded as done",
        Duration.ofSeconds(10),
        () ->
            jobs.stats().count(AlertNotifyJob.TYPE, JobStatus.READY) == 0
                && jobs.stats().count(AlertNotifyJob.TYPE, JobStatus.RUNNING) == 0);

    database.cut();
    redis.restore();
    pause(Duration.ofSeconds(4));
    assertThat(events("resolve"))
        .as("nothing can be recorded or sent without the database")
        .isEmpty();

    database.restore();
    Eventually.await("one resolve", Duration.ofSeconds(30), () -> events("resolve").size() == 1);
    pause(Duration.ofSeconds(2));
    assertThat(events("resolve")).hasSize(1);
    assertThat(events("trigger")).hasSize(1);
    assertThat(events("resolve").get(0).get("dedup_key").asString()).isEqualTo(DEDUP);
  }

  @Test
  void outboundWhenBurstOf5xxThenOneSlackMessage() {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(providers.baseUrl() + "/provider/charge"))
            .POST(HttpRequest.BodyPublishers.ofString("{}"))
            .build();
    for (int i = 0; i < 30; i++) {
      try {
        http.send("payments.burst", request, RetryPolicy.noRetry());
      } catch (OutboundException expected) {
        assertThat(expected.status()).hasValue(500);
      }
    }
    Eventually.await("one Slack message", Duration.ofSeconds(20), () -> slack().size() == 1);
    pause(Duration.ofSeconds(2));
    assertThat(slack()).hasSize(1);
    JsonNode message = slack().get(0);
    // The rule may be evaluated mid-burst: once the window holds the 20 calls it needs, the share
    // counts, so the message names 20 to 30 calls.
    assertThat(message.get("text").asString())
        .containsPattern(
            "^\\[high\\] High error rate on payments\\.burst: 100\\.0% of (2\\d|30) calls");
    assertThat(message.get("blocks").get(0).get("type").asString()).isEqualTo("section");
  }

  @Test
  void emailWhenHeldAtNinetyPercentOfItsLimitThenOneWarningEmail() throws InterruptedException {
    Rate spacing = new Rate(1, Duration.ofMillis(100));
    long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (System.nanoTime() < end) {
      long second = System.nanoTime();
      for (int i = 0; i < 9; i++) {
        assertThat(limiter.acquire("email:outbox", spacing, Duration.ofSeconds(1))).isTrue();
      }
      Thread.sleep(Math.max(0, 1000 - (System.nanoTime() - second) / 1_000_000));
    }
    Predicate<StoredMessage> warning =
        m ->
            m.recipient().equals("oncall@example.com")
                && m.content()
                    .subject()
                    .startsWith("[medium] Rate limit of email:outbox nearly reached");
    Eventually.await(
        "a warning email",
        Duration.ofSeconds(20),
        () -> email.recentMessages(200).stream().anyMatch(warning));
    pause(Duration.ofSeconds(2));
    List<StoredMessage> warnings = email.recentMessages(200).stream().filter(warning).toList();
    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0).content().text()).contains("of 10/s used over the last 2s");
  }

  List<JsonNode> events(String action) {
    return providers.getAllServeEvents().stream()
        .filter(e -> e.getRequest().getUrl().equals("/v2/enqueue"))
        .map(e -> json.readTree(e.getRequest().getBodyAsString()))
        .filter(
            n ->
                n.get("event_action").asString().equals(action)
                    && n.get("dedup_key").asString().equals(DEDUP))
        .toList();
  }

  List<JsonNode> slack() {
    return providers.getAllServeEvents().stream()
        .filter(e -> e.getRequest().getUrl().equals(SLACK_PATH))
        .map(e -> json.readTree(e.getRequest().getBodyAsString()))
        .toList();
  }

  void awaitNoOpenIncident(String rule, String subject) {
    Eventually.await(
        "no open " + rule + "/" + subject,
        Duration.ofSeconds(30),
        () ->
            store.openIncidents().stream()
                .noneMatch(i -> i.rule().equals(rule) && i.subject().equals(subject)));
    // Let earlier tests' queued notices drain before counting.
    pause(Duration.ofSeconds(1));
    providers.resetRequests();
  }

  static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
