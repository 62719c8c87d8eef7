package dev.switchboard.monitoring.pagerduty;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.switchboard.monitoring.AlertDeliveryException;
import dev.switchboard.monitoring.AlertMessage;
import dev.switchboard.platform.config.Secret;
import dev.switchboard.platform.outbound.OutboundHttp;
import dev.switchboard.platform.outbound.RetryPolicy;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The PagerDuty Events API v2 adapter against a local server asserting the reference's request
 * shapes.
 */
class PagerDutyAlertNotifierIT {

  static final Secret KEY = Secret.of("R0ut1ngKeyR0ut1ngKeyR0ut1ngKey32");
  static final Instant AT = Instant.parse("2026-12-04T12:00:00Z");
  static final String DEDUP = "switchboard/production/integration_down/redis";
  static final Duration ANSWER_WITHIN = Duration.ofSeconds(30);
  static final Duration TIMEOUT = Duration.ofSeconds(1);
  static WireMockServer server;

  PagerDutyAlertNotifier notifier;

  @BeforeAll
  static void start() {
    server = new WireMockServer(options().dynamicPort());
    server.start();
    // The first exchange of a JVM loads the HTTP stack on both sides; it must not eat a test's
    // timeout.
    try {
      java.net.http.HttpClient.newHttpClient()
          .send(
              java.net.http.HttpRequest.newBuilder(
                      java.net.URI.create(server.baseUrl() + "/warm-up"))
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.discarding());
    } catch (java.io.IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterAll
  static void stop() {
    server.stop();
  }

  @BeforeEach
  void reset() {
    server.resetAll();
    notifier = notifier(ANSWER_WITHIN);
  }

  /**
   * Every test but the timeout's waits as long as a loaded build machine may need for an answer;
   * the timeout test gives the client {@link #TIMEOUT} against a server that answers later.
   */
  static PagerDutyAlertNotifier notifier(Duration timeout) {
    OutboundHttp http =
        new OutboundHttp(
            RetryPolicy.defaults(),
            List.of(),
            Clock.systemUTC(),
            delay -> {
              throw new AssertionError("one attempt per send; the queue retries");
            },
            new Random(1));
    return new PagerDutyAlertNotifier(
        KEY,
        URI.create(server.baseUrl() + "/v2/enqueue"),
        "status.acme.test",
        "https://status.acme.test/admin/alerts",
        http,
        timeout);
  }

  static AlertMessage message(String action) {
    return new AlertMessage(
        action,
        "integration_down",
        "redis",
        "critical",
        "Integration redis is down",
        "connection refused (3 failed checks in a row, threshold 3)",
        DEDUP,
        "production",
        AT,
        0);
  }

  void answer(int status, String body) {
    server.stubFor(
        post(urlPathEqualTo("/v2/enqueue"))
            .willReturn(
                aResponse()
                    .withStatus(status)
                    .withHeader("Content-Type", "application/json")
                    .withBody(body)));
  }

  @Test
  void sendWhenTriggerAcceptedThenPostsTheEventsV2ShapeWithTheDeterministicDedupKey() {
    answer(
        202,
        "{\"status\":\"success\",\"message\":\"Event processed\",\"dedup_key\":\"" + DEDUP + "\"}");

    notifier.send(message(AlertMessage.TRIGGER));

    server.verify(
        1,
        postRequestedFor(urlPathEqualTo("/v2/enqueue"))
            .withHeader("Content-Type", equalTo("application/json"))
            .withoutHeader("Authorization")
            .withRequestBody(
                equalToJson(
                    """
            {"routing_key":"R0ut1ngKeyR0ut1ngKeyR0ut1ngKey32","event_action":"trigger",
             "dedup_key":"switchboard/production/integration_down/redis",
             "payload":{"summary":"[critical] Integration redis is down: connection refused (3 failed checks in a row, threshold 3)",
                        "source":"status.acme.test","severity":"critical","timestamp":"2026-12-04T12:00:00Z",
                        "component":"redis","group":"switchboard","class":"integration_down",
                        "custom_details":{"rule":"integration_down","subject":"redis","environment":"production",
                                          "detail":"connection refused (3 failed checks in a row, threshold 3)","reminder":"0"}},
             "client":"Switchboard","client_url":"https://status.acme.test/admin/alerts"}""")));
  }

  @Test
  void sendWhenResolveThenPostsOnlyKeyActionAndDedupKey() {
    answer(
        202,
        "{\"status\":\"success\",\"message\":\"Event processed\",\"dedup_key\":\"" + DEDUP + "\"}");

    notifier.send(message(AlertMessage.RESOLVE));

    server.verify(
        1,
        postRequestedFor(urlPathEqualTo("/v2/enqueue"))
            .withRequestBody(
                equalToJson(
                    "{\"routing_key\":\"R0ut1ngKeyR0ut1ngKeyR0ut1ngKey32\",\"event_action\":\"resolve\",\"dedup_key\":\""
                        + DEDUP
                        + "\"}")));
  }

  @Test
  void sendWhenTestAlertThenInfoTriggerFollowedByResolveOfTheSameKey() {
    answer(202, "{\"status\":\"success\",\"message\":\"Event processed\"}");

    notifier.send(
        new AlertMessage(
            AlertMessage.TEST,
            "test",
            "inc_1",
            "info",
            "Test alert from Switchboard",
            "wiring",
            "switchboard/production/test/inc_1",
            "production",
            AT,
            0));

    assertThat(server.getAllServeEvents()).hasSize(2);
    server.verify(
        postRequestedFor(urlPathEqualTo("/v2/enqueue"))
            .withRequestBody(
                equalToJson(
                    "{\"event_action\":\"trigger\",\"dedup_key\":\"switchboard/production/test/inc_1\",\"payload\":{\"severity\":\"info\"}}",
                    true,
                    true)));
    server.verify(
        postRequestedFor(urlPathEqualTo("/v2/enqueue"))
            .withRequestBody(
                equalToJson(
                    "{\"event_action\":\"resolve\",\"dedup_key\":\"switchboard/production/test/inc_1\"}",
                    true,
                    true)));
  }

  @Test
  void sendWhenPagerDutyAnswers400ThenRejectedNotRetriedChannelNotBroken() {
    answer(
        400,
        "{\"status\":\"invalid event\",\"message\":\"Event object is invalid\",\"errors\":[\"Length of 'routing_key' is incorrect (should be 32 characters)\"]}");

    AlertDeliveryException e =
        catchThrowableOfType(
            AlertDeliveryException.class, () -> notifier.send(message(AlertMessage.TRIGGER)));

    assertThat(e.retryable()).isFalse();
    assertThat(e.channelBroken()).isFalse();
    assertThat(e.getMessage()).contains("HTTP 400").doesNotContain(KEY.reveal());
    assertThat(server.getAllServeEvents()).hasSize(1);
  }

  @Test
  void sendWhenPagerDutyAnswers429ThenRetryableAfterMinutes() {
    answer(
        429,
        "{\"status\":\"throttle exceeded\",\"message\":\"Requests for this service are arriving too quickly\"}");

    AlertDeliveryException e =
        catchThrowableOfType(
            AlertDeliveryException.class, () -> notifier.send(message(AlertMessage.TRIGGER)));

    assertThat(e.retryable()).isTrue();
    assertThat(e.retryAfter()).contains(Duration.ofMinutes(2));
    assertThat(server.getAllServeEvents()).hasSize(1);
  }

  @Test
  void sendWhenPagerDutyAnswers500ThenRetryableWithTheQueuesBackoff() {
    answer(500, "{}");

    AlertDeliveryException e =
        catchThrowableOfType(
            AlertDeliveryException.class, () -> notifier.send(message(AlertMessage.TRIGGER)));

    assertThat(e.retryable()).isTrue();
    assertThat(e.retryAfter()).isEqualTo(Optional.empty());
    assertThat(e.getMessage()).isEqualTo("PagerDuty unavailable (HTTP 500)");
  }

  @Test
  void sendWhenPagerDutyTimesOutThenRetryable() {
    server.stubFor(
        post(urlPathEqualTo("/v2/enqueue"))
            .willReturn(aResponse().withStatus(202).withFixedDelay(1_500)));

    AlertDeliveryException e =
        catchThrowableOfType(
            AlertDeliveryException.class,
            () -> notifier(TIMEOUT).send(message(AlertMessage.TRIGGER)));

    assertThat(e.retryable()).isTrue();
    assertThat(e.getMessage()).isEqualTo("PagerDuty not reached: timeout");
    awaitServerIdle();
  }

  /**
   * The delayed answer is still being written when the client gave up; later tests must not see it.
   */
  static void awaitServerIdle() {
    try {
      Thread.sleep(700);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
