package dev.switchboard.analytics.posthog;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.switchboard.analytics.Delivery;
import dev.switchboard.analytics.ForwardedEvent;
import dev.switchboard.platform.config.Secret;
import dev.switchboard.platform.outbound.Backoff;
import dev.switchboard.platform.outbound.OutboundHttp;
import dev.switchboard.platform.outbound.RetryPolicy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * PostHog's batch capture against a local server that checks the exact request and plays PostHog's
 * answers.
 */
class PostHogEventDestinationIT {

  static final Secret KEY = Secret.of("phc_test_project_key_0123456789");
  static final JsonMapper JSON = JsonMapper.builder().build();
  static final Duration ANSWER_WITHIN = Duration.ofSeconds(30);
  static final Duration TIMEOUT = Duration.ofMillis(500);

  WireMockServer server;
  PostHogEventDestination posthog;

  @BeforeEach
  void start() {
    server = new WireMockServer(options().dynamicPort());
    server.start();
    posthog = posthog(ANSWER_WITHIN);
  }

  /**
   * Every test but the timeout's waits as long as a loaded build machine may need for an answer;
   * the timeout test gives the client {@link #TIMEOUT} against a server that answers later.
   */
  PostHogEventDestination posthog(Duration timeout) {
    OutboundHttp http =
        new OutboundHttp(
            RetryPolicy.defaults(), List.of(), Clock.systemUTC(), d -> {}, Backoff.SHARED_RANDOM);
    return new PostHogEventDestination(KEY, URI.create(server.baseUrl() + "/"), http, timeout);
  }

  @AfterEach
  void stop() {
    server.stop();
  }

  static ForwardedEvent stored(long seq, String json) {
    return new ForwardedEvent(seq, (ObjectNode) JSON.readTree(json), json.length());
  }

  static String uuid(String messageId) {
    return UUID.nameUUIDFromBytes(messageId.getBytes(StandardCharsets.UTF_8)).toString();
  }

  @Test
  void sendWhenPostHogAccepts200ThenMapsPageIdentifyAndTrackToItsBatchShape() {
    server.stubFor(
        post(urlEqualTo("/batch/"))
            .willReturn(aResponse().withStatus(200).withBody("{\"status\":1}")));

    posthog.send(
        List.of(
            stored(
                1,
                """
            {"type":"page","messageId":"m-1","anonymousId":"a1","name":"Pricing",
             "properties":{"path":"/pricing","url":"https://app.example/pricing","title":"Pricing"},
             "context":{"ip":"203.0.113.0"},"timestamp":"2026-12-04T10:00:00Z"}"""),
            stored(
                2,
                """
            {"type":"identify","messageId":"m-2","anonymousId":"a1","userId":"u1","traits":{"plan":"pro"},
             "timestamp":"2026-12-04T10:00:01Z"}"""),
            stored(
                3,
                """
            {"type":"track","messageId":"m-3","userId":"u1","event":"signed_up","properties":{"method":"google"},
             "timestamp":"2026-12-04T10:00:02Z"}""")));

    server.verify(
        1,
        postRequestedFor(urlEqualTo("/batch/"))
            .withHeader("Authorization", absent())
            .withHeader("Content-Type", equalTo("application/json"))
            .withRequestBody(
                equalToJson(
                    """
            {"api_key":"%s","historical_migration":false,"batch":[
              {"event":"$pageview","distinct_id":"a1","uuid":"%s","timestamp":"2026-12-04T10:00:00Z",
               "properties":{"distinct_id":"a1","path":"/pricing","url":"https://app.example/pricing","title":"Pricing",
                 "$current_url":"https://app.example/pricing","$pathname":"/pricing","$title":"Pricing",
                 "$ip":"203.0.113.0","$lib":"switchboard"}},
              {"event":"$identify","distinct_id":"u1","uuid":"%s","timestamp":"2026-12-04T10:00:01Z",
               "properties":{"distinct_id":"u1","$set":{"plan":"pro"},"$anon_distinct_id":"a1","$lib":"switchboard"}},
              {"event":"signed_up","distinct_id":"u1","uuid":"%s","timestamp":"2026-12-04T10:00:02Z",
               "properties":{"distinct_id":"u1","method":"google","$lib":"switchboard"}}]}"""
                        .formatted(KEY.reveal(), uuid("m-1"), uuid("m-2"), uuid("m-3")))));
  }

  @Test
  void sendWhenPostHogAnswers429WithRetryAfterThenRetryableWithThatDelay() {
    server.stubFor(
        post(urlEqualTo("/batch/"))
            .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "3")));

    Delivery delivery =
        posthog.send(
            List.of(
                stored(
                    1,
                    """
        {"type":"track","messageId":"m-1","userId":"u1","event":"x","timestamp":"2026-12-04T10:00:00Z"}""")));
    assertThat(delivery.kind()).isEqualTo(Delivery.Kind.RETRY_LATER);
    assertThat(delivery.retryAfter()).contains(Duration.ofSeconds(3));
    assertThat(delivery.summary()).doesNotContain(KEY.reveal());
  }

  @Test
  void sendWhenPostHogAnswers503ThenRetryable() {
    server.stubFor(post(urlEqualTo("/batch/")).willReturn(aResponse().withStatus(503)));

    Delivery delivery =
        posthog.send(
            List.of(
                stored(
                    1,
                    """
        {"type":"track","messageId":"m-1","userId":"u1","event":"x"}""")));
    assertThat(delivery.kind()).isEqualTo(Delivery.Kind.RETRY_LATER);
    server.verify(1, postRequestedFor(urlEqualTo("/batch/")));
  }

  @Test
  void sendWhenPostHogDoesNotAnswerInTimeThenRetryableTimeout() {
    server.stubFor(
        post(urlEqualTo("/batch/")).willReturn(aResponse().withStatus(200).withFixedDelay(2_000)));

    Delivery delivery =
        posthog(TIMEOUT)
            .send(
                List.of(
                    stored(
                        1,
                        """
        {"type":"track","messageId":"m-1","userId":"u1","event":"x"}""")));
    assertThat(delivery.kind()).isEqualTo(Delivery.Kind.RETRY_LATER);
    assertThat(delivery.summary()).contains("timeout");
  }
}
