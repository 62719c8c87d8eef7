package dev.switchboard.platform.outbound;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.switchboard.testing.ManualClock;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OutboundHttpIT {

  WireMockServer server;
  final List<Duration> sleeps = new CopyOnWriteArrayList<>();
  final List<OutboundAttempt> attempts = new CopyOnWriteArrayList<>();
  final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  OutboundHttp http;

  @BeforeEach
  void setUp() {
    server = new WireMockServer(options().dynamicPort());
    server.start();
    Sleeper sleeper =
        d -> {
          sleeps.add(d);
          clock.advance(d);
        };
    http =
        new OutboundHttp(
            RetryPolicy.defaults(), List.of(attempts::add), clock, sleeper, new Random(7));
  }

  @AfterEach
  void tearDown() {
    server.stop();
  }

  @Test
  void sendWhen503Then200ThenRetriedOnceAndSucceeds() {
    stubSequence(
        "/v1/thing",
        aResponse().withStatus(503),
        aResponse().withStatus(200).withBody("{\"ok\":true}"));

    HttpResponse<String> response = http.send("test.provider", request("/v1/thing"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{\"ok\":true}");
    server.verify(2, getRequestedFor(urlPathEqualTo("/v1/thing")));
    assertThat(sleeps).hasSize(1);
    assertThat(sleeps.get(0)).isBetween(Duration.ZERO, Duration.ofMillis(500));
  }

  @Test
  void sendWhenGateGivenThenAskedBeforeEveryAttemptRetriesIncluded() {
    stubSequence("/v1/gated", aResponse().withStatus(503), aResponse().withStatus(200));
    List<Integer> asked = new ArrayList<>();

    HttpResponse<String> response = http.send("test.provider", request("/v1/gated"), asked::add);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(asked).containsExactly(1, 2);
    server.verify(2, getRequestedFor(urlPathEqualTo("/v1/gated")));
  }

  @Test
  void sendWhenGateRefusesTheRetryThenItsExceptionAndNothingMoreSent() {
    stubSequence("/v1/refused", aResponse().withStatus(503), aResponse().withStatus(200));
    IllegalStateException refusal = new IllegalStateException("budget spent");

    assertThatThrownBy(
            () ->
                http.send(
                    "test.provider",
                    request("/v1/refused"),
                    attempt -> {
                      if (attempt > 1) {
                        throw refusal;
                      }
                    }))
        .isSameAs(refusal);
    server.verify(1, getRequestedFor(urlPathEqualTo("/v1/refused")));
  }

  @Test
  void sendWhen429WithRetryAfterThenSleeperAskedForThatDelay() {
    stubSequence(
        "/v1/limited",
        aResponse().withStatus(429).withHeader("Retry-After", "2"),
        aResponse().withStatus(200));

    http.send("test.provider", request("/v1/limited"));

    assertThat(sleeps).containsExactly(Duration.ofSeconds(2));
    server.verify(2, getRequestedFor(urlPathEqualTo("/v1/limited")));
  }

  @Test
  void sendWhen400ThenNotRetriedAndPermanent() {
    server.stubFor(
        post("/v1/mail")
            .willReturn(
                aResponse()
                    .withStatus(400)
                    .withHeader("X-Request-Id", "req_400")
                    .withBody("{\"error\":\"bad_email\"}")));

    OutboundException e =
        catchThrowableOfType(
            OutboundException.class,
            () ->
                http.send(
                    "test.provider",
                    HttpRequest.newBuilder(uri("/v1/mail"))
                        .POST(HttpRequest.BodyPublishers.ofString("{}"))
                        .build()));

    assertThat(e.retryable()).isFalse();
    assertThat(e.code()).isEqualTo("rejected");
    assertThat(e.status()).hasValue(400);
    assertThat(e.attempts()).isEqualTo(1);
    assertThat(e.providerRequestId()).contains("req_400");
    assertThat(e.responseBody()).contains("{\"error\":\"bad_email\"}");
    assertThat(e.responseHeader("x-request-id")).contains("req_400");
    assertThat(e.responseHeader("X-Not-Sent")).isEmpty();
    server.verify(1, postRequestedFor(urlPathEqualTo("/v1/mail")));
    assertThat(sleeps).isEmpty();
  }

  @Test
  void sendWhenReadTimeoutThenRetried() {
    stubSequence(
        "/v1/slow", aResponse().withStatus(200).withFixedDelay(6000), aResponse().withStatus(200));

    HttpResponse<String> response =
        http.send(
            "test.provider",
            HttpRequest.newBuilder(uri("/v1/slow")).timeout(Duration.ofMillis(1500)).GET().build());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(attempts)
        .extracting(a -> a.failure().orElse("answered"))
        .containsExactly("timeout", "answered");
    assertThat(sleeps).hasSize(1);
  }

  @Test
  void sendWhenConnectionRefusedThenRetriedUntilAttemptsRunOut() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }

    OutboundException e =
        catchThrowableOfType(
            OutboundException.class,
            () ->
                http.send(
                    "test.provider",
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + closedPort + "/v1/x"))
                        .GET()
                        .build()));

    assertThat(e.retryable()).isTrue();
    assertThat(e.code()).isEqualTo("connect_failed");
    assertThat(e.status()).isEmpty();
    assertThat(e.attempts()).isEqualTo(3);
    assertThat(attempts).extracting(a -> a.failure().orElseThrow()).containsOnly("connect_failed");
    assertThat(sleeps).hasSize(2);
  }

  @Test
  void sendWhenAttemptsExhaustedThenRetryableExceptionWithStatusAndRequestId() {
    server.stubFor(
        get("/v1/down")
            .willReturn(aResponse().withStatus(503).withHeader("Request-Id", "req_503")));

    OutboundException e =
        catchThrowableOfType(
            OutboundException.class, () -> http.send("test.provider", request("/v1/down")));

    assertThat(e.retryable()).isTrue();
    assertThat(e.code()).isEqualTo("provider_unavailable");
    assertThat(e.status()).hasValue(503);
    assertThat(e.attempts()).isEqualTo(3);
    assertThat(e.providerRequestId()).contains("req_503");
    assertThat(e.getMessage()).contains("test.provider", "HTTP 503", "3 attempts", "req_503");
    server.verify(3, getRequestedFor(urlPathEqualTo("/v1/down")));
    assertThat(attempts).extracting(OutboundAttempt::attempt).containsExactly(1, 2, 3);
  }

  @Test
  void sendWhenQueryStringCarriesSecretThenListenerAndErrorNeverSeeIt() {
    server.stubFor(get(urlPathEqualTo("/v3/mail/send")).willReturn(aResponse().withStatus(500)));

    OutboundException e =
        catchThrowableOfType(
            OutboundException.class,
            () ->
                http.send("test.provider", request("/v3/mail/send?api_key=sk_live_topsecret&x=1")));

    assertThat(attempts)
        .hasSize(3)
        .allSatisfy(
            a -> {
              assertThat(a.path()).isEqualTo("/v3/mail/send");
              assertThat(a.host()).isEqualTo("127.0.0.1");
              assertThat(a.method()).isEqualTo("GET");
              assertThat(a.integrationId()).isEqualTo("test.provider");
              assertThat(a.status()).hasValue(500);
              assertThat(a.toString()).doesNotContain("topsecret");
            });
    assertThat(e.getMessage()).doesNotContain("topsecret").doesNotContain("/v3/mail/send");
  }

  @Test
  void sendToSecretUrlWhenCalledThenListenerSeesNoPath() {
    server.stubFor(post("/services/T000/B000/XXXXSECRET").willReturn(aResponse().withStatus(200)));

    http.sendToSecretUrl(
        "alerts.slack",
        HttpRequest.newBuilder(uri("/services/T000/B000/XXXXSECRET"))
            .POST(HttpRequest.BodyPublishers.ofString("{}"))
            .build(),
        RetryPolicy.defaults());

    assertThat(attempts).singleElement().satisfies(a -> assertThat(a.path()).isEqualTo("/…"));
  }

  @Test
  void sendWhenRetryAfterLongerThanCapThenFailsAtOnceCarryingTheDelay() {
    server.stubFor(
        get("/v1/busy").willReturn(aResponse().withStatus(429).withHeader("Retry-After", "120")));

    OutboundException e =
        catchThrowableOfType(
            OutboundException.class, () -> http.send("test.provider", request("/v1/busy")));

    assertThat(e.retryable()).isTrue();
    assertThat(e.code()).isEqualTo("rate_limited");
    assertThat(e.retryAfter()).contains(Duration.ofSeconds(120));
    assertThat(sleeps).isEmpty();
    server.verify(1, getRequestedFor(urlPathEqualTo("/v1/busy")));
  }

  @Test
  void sendWhenStripeSaysDoNotRetryThenNotRetried() {
    server.stubFor(
        get("/v1/charges")
            .willReturn(aResponse().withStatus(503).withHeader("Stripe-Should-Retry", "false")));

    OutboundException e =
        catchThrowableOfType(
            OutboundException.class, () -> http.send("payments.stripe", request("/v1/charges")));

    assertThat(e.retryable()).isFalse();
    server.verify(1, getRequestedFor(urlPathEqualTo("/v1/charges")));
  }

  @Test
  void sendWhen409LockConflictThenRetried() {
    stubSequence("/v1/customers", aResponse().withStatus(409), aResponse().withStatus(200));

    assertThat(http.send("payments.stripe", request("/v1/customers")).statusCode()).isEqualTo(200);
    server.verify(2, getRequestedFor(urlPathEqualTo("/v1/customers")));
  }

  @Test
  void sendWhenTimeBudgetWouldBeExceededThenStopsBeforeMaxAttempts() {
    server.stubFor(
        get("/v1/flaky").willReturn(aResponse().withStatus(503).withHeader("Retry-After", "1")));
    RetryPolicy policy =
        RetryPolicy.defaults().withMaxAttempts(10).withMaxTotal(Duration.ofMillis(1500));

    OutboundException e =
        catchThrowableOfType(
            OutboundException.class,
            () -> http.send("test.provider", request("/v1/flaky"), policy));

    assertThat(e.attempts()).isEqualTo(2);
    assertThat(sleeps).containsExactly(Duration.ofSeconds(1));
  }

  @Test
  void sendWhenListenerThrowsThenCallStillSucceeds() {
    server.stubFor(get("/v1/ok").willReturn(aResponse().withStatus(204)));
    OutboundHttp withBadListener =
        new OutboundHttp(
            RetryPolicy.defaults(),
            List.of(
                a -> {
                  throw new IllegalStateException("listener bug");
                }),
            clock,
            sleeps::add,
            new Random(1));

    assertThat(withBadListener.send("test.provider", request("/v1/ok")).statusCode())
        .isEqualTo(204);
  }

  @Test
  void sendWhenFirstCalledThenBuildsTheClientOnceAndNotBefore() {
    server.stubFor(get("/v1/ok").willReturn(aResponse().withStatus(204)));
    AtomicInteger built = new AtomicInteger();
    OutboundHttp lazy =
        new OutboundHttp(
            () -> {
              built.incrementAndGet();
              return HttpClient.newBuilder().connectTimeout(OutboundHttp.CONNECT_TIMEOUT).build();
            },
            RetryPolicy.defaults(),
            List.of(),
            clock,
            sleeps::add,
            new Random(1));

    assertThat(built).hasValue(0);
    lazy.send("test.provider", request("/v1/ok"));
    lazy.send("test.provider", request("/v1/ok"));

    assertThat(built).hasValue(1);
    server.verify(2, getRequestedFor(urlPathEqualTo("/v1/ok")));
  }

  private void stubSequence(
      String path, ResponseDefinitionBuilder first, ResponseDefinitionBuilder second) {
    server.stubFor(
        get(path)
            .inScenario(path)
            .whenScenarioStateIs(STARTED)
            .willReturn(first)
            .willSetStateTo("second"));
    server.stubFor(get(path).inScenario(path).whenScenarioStateIs("second").willReturn(second));
  }

  private HttpRequest request(String pathAndQuery) {
    return HttpRequest.newBuilder(uri(pathAndQuery)).GET().build();
  }

  private URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + server.port() + pathAndQuery);
  }
}
