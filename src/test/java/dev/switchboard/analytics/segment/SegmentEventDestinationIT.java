package dev.switchboard.analytics.segment;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
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
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Segment's batch call against a local server that checks the exact request and plays Segment's
 * answers.
 */
class SegmentEventDestinationIT {

  static final Secret KEY = Secret.of("wk_segment_test_0123456789");
  static final JsonMapper JSON = JsonMapper.builder().build();
  static final Duration ANSWER_WITHIN = Duration.ofSeconds(30);
  static final Duration TIMEOUT = Duration.ofMillis(500);

  WireMockServer server;
  SegmentEventDestination segment;

  @BeforeEach
  void start() {
    server = new WireMockServer(options().dynamicPort());
    server.start();
    segment = segment(ANSWER_WITHIN);
  }

  /**
   * Every test but the timeout's waits as long as a loaded build machine may need for an answer;
   * the timeout test gives the client {@link #TIMEOUT} against a server that answers later.
   */
  SegmentEventDestination segment(Duration timeout) {
    OutboundHttp http =
        new OutboundHttp(
            RetryPolicy.defaults(), List.of(), Clock.systemUTC(), d -> {}, Backoff.SHARED_RANDOM);
    return new SegmentEventDestination(KEY, URI.create(server.baseUrl()), http, timeout);
  }

  @AfterEach
  void stop() {
    server.stop();
  }

  static ForwardedEvent stored(long seq, String json) {
    return new ForwardedEvent(seq, (ObjectNode) JSON.readTree(json), json.length());
  }

  static final String TRACK =
      """
      {"type":"track","messageId":"m-1","userId":"u1","event":"feature_used","properties":{"feature_name":"export"},
       "context":{"ip":"203.0.113.0"},"integrations":{},"timestamp":"2026-12-04T10:00:00Z",
       "originalTimestamp":"2026-12-04T10:00:03Z","sentAt":"2026-12-04T10:00:04Z","receivedAt":"2026-12-04T10:00:01Z"}""";
  static final String PAGE =
      """
      {"type":"page","messageId":"m-2","anonymousId":"a1","name":"Pricing","properties":{"path":"/pricing"},
       "timestamp":"2026-12-04T10:00:05Z"}""";

  @Test
  void sendWhenSegmentAccepts200ThenPostsBatchWithBasicAuthAndStoredMessages() {
    server.stubFor(
        post(urlEqualTo("/v1/batch"))
            .willReturn(aResponse().withStatus(200).withBody("{\"success\":true}")));

    segment.send(List.of(stored(1, TRACK), stored(2, PAGE)));

    server.verify(
        1,
        postRequestedFor(urlEqualTo("/v1/batch"))
            .withHeader("Authorization", equalTo("Basic d2tfc2VnbWVudF90ZXN0XzAxMjM0NTY3ODk6"))
            .withHeader("Content-Type", equalTo("application/json"))
            .withRequestBody(
                equalToJson(
                    """
            {"batch":[
              {"type":"track","messageId":"m-1","userId":"u1","event":"feature_used",
               "properties":{"feature_name":"export"},"context":{"ip":"203.0.113.0"},"integrations":{},
               "timestamp":"2026-12-04T10:00:00Z"},
              {"type":"page","messageId":"m-2","anonymousId":"a1","name":"Pricing","properties":{"path":"/pricing"},
               "timestamp":"2026-12-04T10:00:05Z"}]}""")));
  }

  @Test
  void sendWhenSegmentAnswers429WithRetryAfterThenRetryableWithThatDelay() {
    server.stubFor(
        post(urlEqualTo("/v1/batch"))
            .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "7")));

    Delivery delivery = segment.send(List.of(stored(1, TRACK)));
    assertThat(delivery.kind()).isEqualTo(Delivery.Kind.RETRY_LATER);
    assertThat(delivery.summary()).contains("HTTP 429");
    assertThat(delivery.retryAfter()).contains(Duration.ofSeconds(7));
    assertThat(delivery.summary()).doesNotContain(KEY.reveal());
    server.verify(1, postRequestedFor(urlEqualTo("/v1/batch")));
  }

  @Test
  void sendWhenSegmentAnswers500ThenRetryableAndSentOnce() {
    server.stubFor(post(urlEqualTo("/v1/batch")).willReturn(aResponse().withStatus(500)));

    Delivery delivery = segment.send(List.of(stored(1, TRACK)));
    assertThat(delivery.kind()).isEqualTo(Delivery.Kind.RETRY_LATER);
    assertThat(delivery.summary()).contains("HTTP 500");
    server.verify(1, postRequestedFor(urlEqualTo("/v1/batch")));
  }

  @Test
  void sendWhenSegmentDoesNotAnswerInTimeThenRetryableTimeout() {
    server.stubFor(
        post(urlEqualTo("/v1/batch"))
            .willReturn(aResponse().withStatus(200).withFixedDelay(2_000)));

    Delivery delivery = segment(TIMEOUT).send(List.of(stored(1, TRACK)));
    assertThat(delivery.kind()).isEqualTo(Delivery.Kind.RETRY_LATER);
    assertThat(delivery.summary()).contains("timeout");
  }

  @Test
  void sendWhenSegmentRefusesTheBatch400ThenNotRetryable() {
    server.stubFor(post(urlEqualTo("/v1/batch")).willReturn(aResponse().withStatus(400)));

    Delivery delivery = segment.send(List.of(stored(1, TRACK)));
    assertThat(delivery.kind()).isEqualTo(Delivery.Kind.REFUSED);
  }

  @Test
  void sendWhenSegmentRefusesTheKey401ThenRetryLaterNotDropped() {
    server.stubFor(post(urlEqualTo("/v1/batch")).willReturn(aResponse().withStatus(401)));

    Delivery delivery = segment.send(List.of(stored(1, TRACK)));
    assertThat(delivery.kind()).isEqualTo(Delivery.Kind.RETRY_LATER);
    assertThat(delivery.summary()).contains("HTTP 401").doesNotContain(KEY.reveal());
  }
}
