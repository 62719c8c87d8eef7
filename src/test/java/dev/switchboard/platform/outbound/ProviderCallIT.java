package dev.switchboard.platform.outbound;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.switchboard.platform.config.Secret;
import dev.switchboard.platform.integrations.HealthStatus;
import dev.switchboard.testing.ManualClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProviderCallIT {

  static final Secret KEY = Secret.of("sk_test_provider_call_key_0001");

  WireMockServer server;
  OutboundHttp http;
  ProviderCall call;

  @BeforeEach
  void setUp() {
    server = new WireMockServer(options().dynamicPort());
    server.start();
    ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    http =
        new OutboundHttp(RetryPolicy.defaults(), List.of(), clock, clock::advance, new Random(7));
    call =
        ProviderCall.to("test.provider", "Acme", URI.create(server.baseUrl() + "/"), http)
            .bearer(KEY)
            .build();
  }

  @AfterEach
  void tearDown() {
    server.stop();
  }

  @Test
  void exchangeWhen2xxThenRequestFramedAndAnswerMapped() {
    server.stubFor(
        post("/v1/things").willReturn(aResponse().withStatus(201).withBody("{\"id\":\"t_1\"}")));

    String id =
        call.exchange(
            call.post("/v1/things", Map.of("name", "x")).build(),
            answer -> answer.requireJson().path("id").asString(),
            failure -> "failed: " + failure);

    assertThat(id).isEqualTo("t_1");
    server.verify(
        postRequestedFor(urlPathEqualTo("/v1/things"))
            .withHeader("Authorization", equalTo("Bearer " + KEY.reveal()))
            .withHeader("Accept", equalTo("application/json"))
            .withHeader("Content-Type", equalTo("application/json"))
            .withRequestBody(equalToJson("{\"name\":\"x\"}")));
  }

  @Test
  void exchangeWhen400ThenRejectedNotRetriedAndDetailMasksTheKey() {
    server.stubFor(
        get("/v1/x")
            .willReturn(
                aResponse()
                    .withStatus(400)
                    .withBody("{\"error\":\"bad key " + KEY.reveal() + "\"}")));

    ProviderFailure f = failure();

    assertThat(f.kind()).isEqualTo(ProviderFailure.Kind.REJECTED);
    assertThat(f.retryable()).isFalse();
    assertThat(f.status()).hasValue(400);
    assertThat(f.summary()).isEqualTo("Acme answered HTTP 400");
    assertThat(f.detail(f.json().path("error").asString())).isEqualTo(": bad key ****");
    assertThat(f.health().status()).isEqualTo(HealthStatus.DOWN);
    server.verify(
        1,
        com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(urlPathEqualTo("/v1/x")));
  }

  @Test
  void exchangeWhen429WithRetryAfterThenRateLimitedWithTheDelay() {
    stub(aResponse().withStatus(429).withHeader("Retry-After", "7"));

    ProviderFailure f = failure();

    assertThat(f.kind()).isEqualTo(ProviderFailure.Kind.RATE_LIMITED);
    assertThat(f.retryable()).isTrue();
    assertThat(f.retryAfter()).contains(Duration.ofSeconds(7));
    assertThat(f.health().status()).isEqualTo(HealthStatus.DEGRADED);
  }

  @Test
  void exchangeWhen503ThenUnavailableAndRetryable() {
    stub(aResponse().withStatus(503));

    ProviderFailure f = failure();

    assertThat(f.kind()).isEqualTo(ProviderFailure.Kind.UNAVAILABLE);
    assertThat(f.retryable()).isTrue();
    assertThat(f.retryAfter()).isEmpty();
  }

  @Test
  void exchangeWhenNoAnswerInTimeThenUnreachableAndRetryable() {
    stub(aResponse().withStatus(200).withFixedDelay(2_000));
    ProviderCall impatient =
        ProviderCall.to("test.provider", "Acme", URI.create(server.baseUrl()), http)
            .timeout(Duration.ofMillis(300))
            .build();

    ProviderFailure f =
        impatient.exchange(impatient.get("/v1/x").build(), answer -> null, failure -> failure);

    assertThat(f.kind()).isEqualTo(ProviderFailure.Kind.UNREACHABLE);
    assertThat(f.retryable()).isTrue();
    assertThat(f.status()).isEmpty();
    assertThat(f.summary()).isEqualTo("Acme not reached: timeout");
  }

  @Test
  void exchangeWhen3xxThenUnexpectedStatusAndPermanent() {
    stub(aResponse().withStatus(302).withHeader("Location", "http://elsewhere.invalid/"));

    ProviderFailure f = failure();

    assertThat(f.kind()).isEqualTo(ProviderFailure.Kind.UNEXPECTED_STATUS);
    assertThat(f.retryable()).isFalse();
    assertThat(f.summary()).isEqualTo("Acme answered HTTP 302");
  }

  @Test
  void exchangeWhen2xxIsNotJsonAndMappingRequiresJsonThenMalformedAnswer() {
    stub(aResponse().withStatus(200).withBody("<html>maintenance</html>"));

    ProviderFailure f =
        call.exchange(
            call.get("/v1/x").build(),
            answer -> {
              answer.requireJson();
              return null;
            },
            failure -> failure);

    assertThat(f.kind()).isEqualTo(ProviderFailure.Kind.MALFORMED_ANSWER);
    assertThat(f.retryable()).isFalse();
    assertThat(f.summary())
        .isEqualTo("Acme answered unreadably (HTTP 200): the answer is not JSON");
  }

  @Test
  void exchangeWhenRetriesConfiguredThen503IsRetriedInTheCall() {
    ProviderCall retrying =
        ProviderCall.to("test.provider", "Acme", URI.create(server.baseUrl()), http)
            .retries(RetryPolicy.defaults())
            .build();
    server.stubFor(
        get("/v1/x")
            .inScenario("s")
            .whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
            .willReturn(aResponse().withStatus(503))
            .willSetStateTo("ok"));
    server.stubFor(
        get("/v1/x")
            .inScenario("s")
            .whenScenarioStateIs("ok")
            .willReturn(aResponse().withStatus(200).withBody("{}")));

    Optional<String> outcome =
        retrying.exchange(
            retrying.get("/v1/x").build(),
            answer -> Optional.of("ok"),
            failure -> Optional.empty());

    assertThat(outcome).contains("ok");
  }

  private void stub(ResponseDefinitionBuilder answer) {
    server.stubFor(get("/v1/x").willReturn(answer));
  }

  private ProviderFailure failure() {
    return call.exchange(call.get("/v1/x").build(), answer -> null, failure -> failure);
  }
}
