package dev.switchboard.monitoring.slack;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.switchboard.monitoring.AlertDeliveryException;
import dev.switchboard.monitoring.AlertMessage;
import dev.switchboard.platform.config.Secret;
import dev.switchboard.platform.outbound.OutboundAttempt;
import dev.switchboard.platform.outbound.OutboundHttp;
import dev.switchboard.platform.outbound.RetryPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Slack incoming-webhook adapter against a local server asserting the reference's request
 * shape.
 */
class SlackAlertNotifierIT {

  static final String PATH = "/services/T000/B000/XXXXSECRETPATH";
  static final Instant AT = Instant.parse("2026-12-04T12:03:00Z");
  static final Duration ANSWER_WITHIN = Duration.ofSeconds(30);
  static final Duration TIMEOUT = Duration.ofSeconds(1);
  static WireMockServer server;

  final List<OutboundAttempt> attempts = new CopyOnWriteArrayList<>();
  SlackAlertNotifier notifier;

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
    attempts.clear();
    notifier = notifier(ANSWER_WITHIN);
  }

  /**
   * Every test but the timeout's waits as long as a loaded build machine may need for an answer;
   * the timeout test gives the client {@link #TIMEOUT} against a server that answers later.
   */
  SlackAlertNotifier notifier(Duration timeout) {
    OutboundHttp http =
        new OutboundHttp(
            RetryPolicy.defaults(),
            List.of(attempts::add),
            Clock.systemUTC(),
            delay -> {
              throw new AssertionError("one attempt per send; the queue retries");
            },
            new Random(1));
    return new SlackAlertNotifier(Secret.of(server.baseUrl() + PATH), http, timeout);
  }

  static AlertMessage message() {
    return new AlertMessage(
        AlertMessage.TRIGGER,
        "error_rate_high",
        "payments.stripe",
        "high",
        "High error rate on payments.stripe",
        "7.2% of 40 calls failed (5xx or no answer) over 5m; threshold 5.0%",
        "switchboard/production/error_rate_high/payments.stripe",
        "production",
        AT,
        0);
  }

  void answer(int status, String body) {
    server.stubFor(
        post(urlPathEqualTo(PATH))
            .willReturn(
                aResponse()
                    .withStatus(status)
                    .withHeader("Content-Type", "text/plain")
                    .withBody(body)));
  }

  @Test
  void sendWhenSlackAnswersOkThenPostedTextAndBlocks() {
    answer(200, "ok");

    assertThatCode(() -> notifier.send(message())).doesNotThrowAnyException();

    server.verify(
        1,
        postRequestedFor(urlPathEqualTo(PATH))
            .withHeader("Content-Type", equalTo("application/json"))
            .withRequestBody(
                equalToJson(
                    """
            {"text":"[high] High error rate on payments.stripe: 7.2% of 40 calls failed (5xx or no answer) over 5m; threshold 5.0%",
             "blocks":[{"type":"section","text":{"type":"mrkdwn",
                        "text":"*[high] High error rate on payments.stripe*\\n7.2% of 40 calls failed (5xx or no answer) over 5m; threshold 5.0%"}},
                       {"type":"context","elements":[{"type":"mrkdwn",
                        "text":"env=production • rule=error_rate_high • subject=payments.stripe • 2026-12-04T12:03:00Z"}]}]}""")));
    assertThat(attempts).singleElement().extracting(OutboundAttempt::path).isEqualTo("/…");
  }

  @ParameterizedTest
  @CsvSource({"404,no_service", "410,channel_is_archived", "403,invalid_token"})
  void sendWhenSlackRefusesTheWebhookThenPermanentAndChannelBroken(int status, String code) {
    answer(status, code);

    AlertDeliveryException e =
        catchThrowableOfType(AlertDeliveryException.class, () -> notifier.send(message()));

    assertThat(e.retryable()).isFalse();
    assertThat(e.channelBroken()).isTrue();
    assertThat(e.getMessage()).contains("HTTP " + status + " " + code).doesNotContain("SECRETPATH");
    assertThat(server.getAllServeEvents()).hasSize(1);
  }

  @Test
  void sendWhenSlackAnswers429ThenRetryableAfterItsRetryAfter() {
    server.stubFor(
        post(urlPathEqualTo(PATH))
            .willReturn(
                aResponse()
                    .withStatus(429)
                    .withHeader("Retry-After", "30")
                    .withBody("rate_limited")));

    AlertDeliveryException e =
        catchThrowableOfType(AlertDeliveryException.class, () -> notifier.send(message()));

    assertThat(e.retryable()).isTrue();
    assertThat(e.channelBroken()).isFalse();
    assertThat(e.retryAfter()).contains(Duration.ofSeconds(30));
  }

  @Test
  void sendWhenSlackTimesOutThenRetryable() {
    server.stubFor(
        post(urlPathEqualTo(PATH))
            .willReturn(aResponse().withStatus(200).withBody("ok").withFixedDelay(1_500)));

    AlertDeliveryException e =
        catchThrowableOfType(AlertDeliveryException.class, () -> notifier(TIMEOUT).send(message()));

    assertThat(e.retryable()).isTrue();
    assertThat(e.channelBroken()).isFalse();
    assertThat(e.getMessage()).isEqualTo("Slack not reached: timeout");
    awaitServerIdle();
  }

  @Test
  void sendWhenSlackAnswers500ThenRetryable() {
    answer(500, "internal_error");

    AlertDeliveryException e =
        catchThrowableOfType(AlertDeliveryException.class, () -> notifier.send(message()));

    assertThat(e.retryable()).isTrue();
    assertThat(e.channelBroken()).isFalse();
  }

  @Test
  void bodyWhenTextHasAngleBracketsThenEscapedForMrkdwnOnly() {
    assertThat(SlackAlertNotifier.escape("a <b> & c")).isEqualTo("a &lt;b&gt; &amp; c");
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
