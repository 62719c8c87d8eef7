package dev.switchboard.analytics;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.analytics.posthog.PostHogEventDestination;
import dev.switchboard.analytics.segment.SegmentEventDestination;
import dev.switchboard.platform.config.DatabaseConfig;
import dev.switchboard.platform.config.Secret;
import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.platform.outbound.Backoff;
import dev.switchboard.platform.outbound.OutboundHttp;
import dev.switchboard.platform.outbound.RetryPolicy;
import dev.switchboard.testing.ManualClock;
import dev.switchboard.testing.PostgresTestDatabase;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The forwarder on the machine's PostgreSQL with the real events store, sending to a local server
 * that plays Segment: outages of an hour, refused events, and two instances forwarding the same
 * destination at once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventForwarderIT {

  static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");
  static final JsonMapper JSON = JsonMapper.builder().build();
  static final Duration ANSWER_WITHIN = Duration.ofSeconds(30);
  static final Duration TIMEOUT = Duration.ofMillis(300);

  HikariDataSource dataSource;
  JdbcAnalyticsEventStore events;
  JdbcForwardingStore store;
  JdbcClient jdbc;
  WireMockServer server;
  OutboundHttp http;
  SegmentEventDestination segment;
  PostHogEventDestination posthog;
  int next;

  @BeforeAll
  void migrate() {
    DatabaseConfig db =
        SwitchboardConfig.load(
                Map.of(
                        "SWITCHBOARD_DATA_DIR",
                        "target/it-data/forwarder",
                        "DATABASE_URL",
                        PostgresTestDatabase.freshUrl())
                    ::get)
            .core()
            .database();
    dataSource = new HikariDataSource();
    dataSource.setJdbcUrl(db.jdbcUrl());
    dataSource.setUsername(db.username());
    Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    events =
        new JdbcAnalyticsEventStore(
            dataSource,
            new TransactionTemplate(new DataSourceTransactionManager(dataSource)),
            JSON);
    jdbc = JdbcClient.create(dataSource);
    store = new JdbcForwardingStore(jdbc);
    server = new WireMockServer(options().dynamicPort().containerThreads(20));
    server.start();
    http =
        new OutboundHttp(
            RetryPolicy.defaults(), List.of(), Clock.systemUTC(), d -> {}, Backoff.SHARED_RANDOM);
    segment = segment(ANSWER_WITHIN);
    posthog =
        new PostHogEventDestination(
            Secret.of("phc_forwarder"), URI.create(server.baseUrl()), http, ANSWER_WITHIN);
  }

  /**
   * Segment as the tests see it: waiting as long as a loaded build machine may need for an answer,
   * or {@link #TIMEOUT} where a test makes the server answer later.
   */
  SegmentEventDestination segment(Duration timeout) {
    return new SegmentEventDestination(
        Secret.of("wk_forwarder"), URI.create(server.baseUrl()), http, timeout);
  }

  @AfterAll
  void close() {
    server.stop();
    dataSource.close();
  }

  @BeforeEach
  void clean() {
    for (String table :
        List.of(
            "analytics_events",
            "analytics_hourly",
            "analytics_identities",
            "analytics_destinations")) {
      jdbc.sql("DELETE FROM " + table).update();
    }
    server.resetAll();
    store.ensure("segment", 0, T0);
    store.ensure("posthog", 0, T0);
  }

  @AfterEach
  void resetServer() {
    server.resetAll();
  }

  EventForwarder forwarder(Clock clock) {
    return new EventForwarder(
        events, store, clock, Duration.ofSeconds(1), Duration.ofSeconds(20), new Random(3));
  }

  /**
   * Appends {@code n} track events received before {@code at}; returns their message ids in id
   * order.
   */
  List<String> append(int n, Instant at, String integrations) {
    List<AnalyticsEvent> batch = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String id = "m-" + (next++);
      ids.add(id);
      String payload =
          """
          {"type":"track","messageId":"%s","userId":"u1","event":"feature_used","properties":{"feature_name":"f%d"},
           "integrations":%s,"timestamp":"%s"}"""
              .formatted(id, i, integrations, at);
      batch.add(
          new AnalyticsEvent(
              0, "src", id, "track", "feature_used", "u1", null, at, at.minusSeconds(5), payload));
    }
    events.append(batch);
    return ids;
  }

  /**
   * The message ids of every batch Segment answered 200, in the order received, and the batch
   * sizes.
   */
  List<List<String>> acceptedBatches() {
    List<ServeEvent> served = new ArrayList<>(server.getAllServeEvents());
    // WireMock lists the newest first and logs to the millisecond: reversed first, requests sent
    // within one millisecond keep their order through the stable sort.
    java.util.Collections.reverse(served);
    served.sort((a, b) -> a.getRequest().getLoggedDate().compareTo(b.getRequest().getLoggedDate()));
    List<List<String>> batches = new ArrayList<>();
    for (ServeEvent event : served) {
      if (event.getResponse().getStatus() != 200) {
        continue;
      }
      List<String> ids = new ArrayList<>();
      for (JsonNode message : JSON.readTree(event.getRequest().getBodyAsString()).path("batch")) {
        ids.add(message.path("messageId").asString());
      }
      batches.add(ids);
    }
    return batches;
  }

  static List<String> flat(List<List<String>> batches) {
    return batches.stream().flatMap(List::stream).toList();
  }

  @Test
  void forwardWhenSegmentDownForAnHourThenCatchesUpInOrderWithEveryEventOnce() {
    ManualClock clock = new ManualClock(T0);
    EventForwarder forwarder = forwarder(clock);
    List<String> expected = new ArrayList<>(append(700, clock.instant(), "{}"));

    server.stubFor(post(urlEqualTo("/v1/batch")).willReturn(aResponse().withStatus(500)));
    ForwardOutcome first = forwarder.forward(segment, "a");
    assertThat(first.kind()).isEqualTo(ForwardOutcome.Kind.FAILING);
    assertThat(first.retryIn().orElseThrow()).isLessThanOrEqualTo(Duration.ofSeconds(1));

    clock.advance(Duration.ofMinutes(20));
    expected.addAll(append(300, clock.instant(), "{}"));
    server.stubFor(
        post(urlEqualTo("/v1/batch"))
            .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "30")));
    // A pooled connection the server closed after the 500 may fail once with an I/O error: also a
    // retry later.
    ForwardOutcome limited = forwarder.forward(segment, "a");
    for (int i = 0; i < 3 && !limited.detail().contains("HTTP 429"); i++) {
      limited = forwarder.forward(segment, "a");
    }
    assertThat(limited.kind()).isEqualTo(ForwardOutcome.Kind.FAILING);
    assertThat(limited.retryIn()).as(limited.detail()).contains(Duration.ofSeconds(30));

    clock.advance(Duration.ofMinutes(20));
    expected.addAll(append(250, clock.instant(), "{}"));
    server.stubFor(
        post(urlEqualTo("/v1/batch"))
            .willReturn(aResponse().withStatus(200).withFixedDelay(1_000)));
    assertThat(forwarder.forward(segment(TIMEOUT), "a").kind())
        .isEqualTo(ForwardOutcome.Kind.FAILING);
    DestinationState during = store.state("segment").orElseThrow();
    assertThat(during.cursor()).isZero();
    assertThat(during.consecutiveFailures()).isGreaterThanOrEqualTo(3);
    assertThat(store.pending(during.cursor())).isEqualTo(1250);

    clock.advance(Duration.ofMinutes(20));
    expected.addAll(append(10, clock.instant(), "{}"));
    server.resetAll();
    server.stubFor(
        post(urlEqualTo("/v1/batch")).willReturn(aResponse().withStatus(200).withBody("{}")));
    assertThat(forwarder.forward(segment, "a").kind()).isEqualTo(ForwardOutcome.Kind.CAUGHT_UP);

    List<List<String>> batches = acceptedBatches();
    assertThat(flat(batches)).containsExactlyElementsOf(expected);
    assertThat(batches).allSatisfy(b -> assertThat(b).hasSizeLessThanOrEqualTo(500));
    DestinationState after = store.state("segment").orElseThrow();
    assertThat(after.forwarded()).isEqualTo(1260);
    assertThat(after.failed()).isZero();
    assertThat(after.consecutiveFailures()).isZero();
    assertThat(after.failingSince()).isEmpty();
    assertThat(store.pending(after.cursor())).isZero();
  }

  @Test
  void forwardWhenSegmentRefusesOneEventThenOthersArriveAndItIsCountedFailed() {
    ManualClock clock = new ManualClock(T0);
    List<String> good = new ArrayList<>(append(5, clock.instant(), "{}"));
    String bad = "m-" + next;
    append(1, clock.instant(), "{}");
    good.addAll(append(5, clock.instant(), "{}"));
    server.stubFor(post(urlEqualTo("/v1/batch")).willReturn(aResponse().withStatus(200)));
    server.stubFor(
        post(urlEqualTo("/v1/batch"))
            .withRequestBody(containing("\"" + bad + "\""))
            .willReturn(aResponse().withStatus(400).withBody("{\"error\":\"bad\"}")));

    assertThat(forwarder(clock).forward(segment, "a").kind())
        .isEqualTo(ForwardOutcome.Kind.CAUGHT_UP);

    assertThat(flat(acceptedBatches())).containsExactlyElementsOf(good);
    DestinationState state = store.state("segment").orElseThrow();
    assertThat(state.forwarded()).isEqualTo(10);
    assertThat(state.failed()).isEqualTo(1);
  }

  @Test
  void forwardWhenIntegrationsLeaveSegmentOutThenSkippedAndCounted() {
    ManualClock clock = new ManualClock(T0);
    List<String> sent = new ArrayList<>(append(2, clock.instant(), "{}"));
    append(2, clock.instant(), "{\"All\":false,\"PostHog\":true}");
    append(1, clock.instant(), "{\"Segment.io\":false}");
    sent.addAll(append(1, clock.instant(), "{\"All\":false,\"Segment.io\":true}"));
    server.stubFor(post(urlEqualTo("/v1/batch")).willReturn(aResponse().withStatus(200)));

    assertThat(forwarder(clock).forward(segment, "a").kind())
        .isEqualTo(ForwardOutcome.Kind.CAUGHT_UP);

    assertThat(flat(acceptedBatches())).containsExactlyElementsOf(sent);
    DestinationState state = store.state("segment").orElseThrow();
    assertThat(state.forwarded()).isEqualTo(3);
    assertThat(state.skipped()).isEqualTo(3);
  }

  @Test
  void forwardWhenTwoInstancesRunAtOnceThenOneSendsAtATimeAndEveryEventArrivesOnceInOrder()
      throws Exception {
    List<String> expected = new ArrayList<>(append(1500, Instant.now().minusSeconds(10), "{}"));
    server.stubFor(
        post(urlEqualTo("/v1/batch")).willReturn(aResponse().withStatus(200).withFixedDelay(30)));
    EventForwarder a = forwarder(Clock.systemUTC());
    EventForwarder b =
        new EventForwarder(
            events,
            new JdbcForwardingStore(JdbcClient.create(dataSource)),
            Clock.systemUTC(),
            Duration.ofSeconds(1),
            Duration.ofMillis(50),
            new Random(5));

    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<Integer>> runs = new ArrayList<>();
      for (Object[] instance : new Object[][] {{a, "instance-a"}, {b, "instance-b"}}) {
        runs.add(
            pool.submit(
                () -> {
                  int busy = 0;
                  long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                  while (System.nanoTime() < deadline) {
                    ForwardOutcome outcome =
                        ((EventForwarder) instance[0]).forward(segment, (String) instance[1]);
                    if (outcome.kind() == ForwardOutcome.Kind.BUSY) {
                      busy++;
                    } else if (outcome.kind() == ForwardOutcome.Kind.CAUGHT_UP
                        && store.pending(store.state("segment").orElseThrow().cursor()) == 0) {
                      return busy;
                    }
                  }
                  return -1;
                }));
      }
      assertThat(runs.get(0).get()).isNotNegative();
      assertThat(runs.get(1).get()).isNotNegative();
    } finally {
      pool.shutdownNow();
    }

    assertThat(flat(acceptedBatches())).containsExactlyElementsOf(expected);
    assertThat(store.state("segment").orElseThrow().forwarded()).isEqualTo(1500);
  }

  @Test
  void forwardWhenPostHogDownThenRateLimitedThenUpThenEveryEventOnceInOrderAsPostHogItems() {
    ManualClock clock = new ManualClock(T0);
    EventForwarder forwarder = forwarder(clock);
    List<String> expected = new ArrayList<>(append(600, clock.instant(), "{}"));
    server.stubFor(post(urlEqualTo("/batch/")).willReturn(aResponse().withStatus(502)));
    assertThat(forwarder.forward(posthog, "a").kind()).isEqualTo(ForwardOutcome.Kind.FAILING);

    clock.advance(Duration.ofMinutes(30));
    expected.addAll(append(100, clock.instant(), "{}"));
    server.stubFor(
        post(urlEqualTo("/batch/"))
            .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "12")));
    assertThat(forwarder.forward(posthog, "a").retryIn()).contains(Duration.ofSeconds(12));

    clock.advance(Duration.ofMinutes(30));
    server.resetAll();
    server.stubFor(
        post(urlEqualTo("/batch/"))
            .willReturn(aResponse().withStatus(200).withBody("{\"status\":1}")));
    assertThat(forwarder.forward(posthog, "a").kind()).isEqualTo(ForwardOutcome.Kind.CAUGHT_UP);

    List<String> uuids = new ArrayList<>();
    List<ServeEvent> served = new ArrayList<>(server.getAllServeEvents());
    // WireMock lists the newest first and logs to the millisecond: reversed first, requests sent
    // within one millisecond keep their order through the stable sort.
    java.util.Collections.reverse(served);
    served.sort((a, b) -> a.getRequest().getLoggedDate().compareTo(b.getRequest().getLoggedDate()));
    for (ServeEvent event : served) {
      JsonNode body = JSON.readTree(event.getRequest().getBodyAsString());
      assertThat(body.path("api_key").asString()).isEqualTo("phc_forwarder");
      assertThat(body.path("batch").size()).isBetween(1, 500);
      body.path("batch").forEach(item -> uuids.add(item.path("uuid").asString()));
    }
    assertThat(uuids)
        .containsExactlyElementsOf(
            expected.stream()
                .map(
                    id ->
                        java.util
                            .UUID
                            .nameUUIDFromBytes(id.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                            .toString())
                .toList());
    assertThat(store.state("posthog").orElseThrow().forwarded()).isEqualTo(700);
  }
}
