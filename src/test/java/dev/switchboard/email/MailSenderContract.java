package dev.switchboard.email;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import dev.switchboard.email.SendResult.Kind;
import dev.switchboard.platform.config.Secret;
import dev.switchboard.platform.integrations.HealthResult;
import dev.switchboard.platform.integrations.HealthStatus;
import dev.switchboard.platform.outbound.OutboundHttp;
import dev.switchboard.platform.outbound.RetryPolicy;
import dev.switchboard.testing.ManualClock;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What every HTTP {@link MailSender} must do, run against a WireMock server standing in for the
 * provider. A subclass says how its provider authenticates and answers; expected request bodies and
 * canned answers live under {@code src/test/resources/email/<provider>/}. The outbound client fails
 * the test if it is asked to wait for a retry: one {@code send} is one attempt, the queue does the
 * retrying.
 */
public abstract class MailSenderContract {

  protected static final Instant NOW = Instant.parse("2026-03-02T10:15:30Z");
  protected static final Duration SHORT_TIMEOUT = Duration.ofMillis(300);
  protected static WireMockServer server;

  protected final ManualClock clock = new ManualClock(NOW);
  protected OutboundHttp http;

  /** The provider id, which is also the resources folder. */
  protected abstract String provider();

  /** A credential in the provider's format, long enough for the scrubber to care about. */
  protected abstract Secret key();

  /** The adapter under test, with a request timeout and clock the test controls. */
  protected abstract MailSender sender(
      Secret key, URI baseUrl, OutboundHttp http, Duration timeout, Clock clock);

  protected abstract String sendPath();

  protected abstract String healthPath();

  /** Adds the provider's authentication (and other required) headers to an expected request. */
  protected abstract RequestPatternBuilder withAuth(RequestPatternBuilder request);

  /** The provider's documented success answer for a send. */
  protected abstract ResponseDefinitionBuilder accepted();

  /** The provider message id that {@link #accepted()} carries. */
  protected abstract String acceptedProviderId();

  /** A documented validation failure, from the canned {@code rejected.json}. */
  protected abstract ResponseDefinitionBuilder rejected();

  /** The provider's reason from {@link #rejected()}, as it must appear in the detail. */
  protected abstract String rejectedReason();

  /** An error answer in the provider's error format. */
  protected abstract ResponseDefinitionBuilder error(int status, String message);

  /** A 429 carrying the given delay the way this provider says it. */
  protected abstract ResponseDefinitionBuilder rateLimited(Duration delay);

  /** The status of the provider's success answer. */
  protected abstract int successStatus();

  @BeforeAll
  static void startProvider() {
    server = new WireMockServer(options().dynamicPort());
    server.start();
  }

  @AfterAll
  static void stopProvider() {
    server.stop();
  }

  @BeforeEach
  void resetProvider() {
    server.resetAll();
    http =
        new OutboundHttp(
            RetryPolicy.defaults(),
            List.of(),
            clock,
            delay -> {
              throw new AssertionError(
                  "a send must be one attempt; asked to wait " + delay + " for a retry");
            },
            new Random(1));
  }

  /** The message every contract case sends. */
  public static OutgoingMail mail() {
    return new OutgoingMail(
        "msg_01JNZ4T7C9XK2M",
        "idem_01JNZ4T7C9XK2M",
        "<msg_01JNZ4T7C9XK2M@switchboard>",
        "Acme <no-reply@acme.test>",
        "ada@example.com",
        "Welcome, Ada",
        "Hello Ada,\nverify your address: https://app.acme.test/verify?t=abc",
        "<p>Hello <b>Ada</b></p>",
        "welcome",
        Map.of("List-Unsubscribe", "<mailto:unsubscribe@acme.test>"));
  }

  protected MailSender sender() {
    return sender(key(), URI.create(server.baseUrl()), http, Duration.ofSeconds(5), clock);
  }

  protected String canned(String file) {
    String path = "/email/" + provider() + "/" + file;
    try (InputStream in = getClass().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  protected SendResult sendAnswered(ResponseDefinitionBuilder answer) {
    server.stubFor(post(urlPathEqualTo(sendPath())).willReturn(answer));
    SendResult result = sender().send(mail());
    assertNoSecret(result.toString());
    return result;
  }

  protected void assertNoSecret(String text) {
    assertThat(text).doesNotContain(key().reveal());
  }

  @Test
  void sendWhenProviderAcceptsThenDocumentedRequestAndAcceptedWithProviderId() {
    SendResult result = sendAnswered(accepted());

    assertThat(result.kind()).isEqualTo(Kind.ACCEPTED);
    assertThat(result.providerMessageId()).contains(acceptedProviderId());
    assertThat(sender().id()).isEqualTo(provider());
    server.verify(
        1,
        withAuth(postRequestedFor(urlPathEqualTo(sendPath())))
            .withHeader("Content-Type", containing("application/json"))
            .withRequestBody(equalToJson(canned("request.json"))));
  }

  @Test
  void sendWhenProviderRejectsThenPermanentWithItsReason() {
    SendResult result = sendAnswered(rejected());

    assertThat(result.kind()).isEqualTo(Kind.PERMANENT);
    assertThat(result.detail()).contains(rejectedReason());
    assertThat(result.providerMessageId()).isEmpty();
  }

  @Test
  void sendWhenProviderReturns429ThenRateLimitedWithItsDelay() {
    SendResult result = sendAnswered(rateLimited(Duration.ofSeconds(17)));

    assertThat(result.kind()).isEqualTo(Kind.RATE_LIMITED);
    assertThat(result.retryAfter()).contains(Duration.ofSeconds(17));
    server.verify(1, postRequestedFor(urlPathEqualTo(sendPath())));
  }

  @ParameterizedTest
  @ValueSource(ints = {500, 502, 503, 504})
  void sendWhenProviderReturns5xxThenRetryableAfterOneAttempt(int status) {
    SendResult result = sendAnswered(error(status, "internal error"));

    assertThat(result.kind()).isEqualTo(Kind.RETRYABLE);
    assertThat(result.detail()).contains(String.valueOf(status));
    server.verify(1, postRequestedFor(urlPathEqualTo(sendPath())));
  }

  @Test
  void sendWhenProviderSlowerThanTimeoutThenRetryable() {
    server.stubFor(post(urlPathEqualTo(sendPath())).willReturn(accepted().withFixedDelay(2_000)));

    SendResult result =
        sender(key(), URI.create(server.baseUrl()), http, SHORT_TIMEOUT, clock).send(mail());

    assertThat(result.kind()).isEqualTo(Kind.RETRYABLE);
    assertThat(result.detail()).contains("timeout");
    assertNoSecret(result.toString());
  }

  @Test
  void sendWhenConnectionRefusedThenRetryable() throws IOException {
    SendResult result = sender(key(), closedPort(), http, SHORT_TIMEOUT, clock).send(mail());

    assertThat(result.kind()).isEqualTo(Kind.RETRYABLE);
    assertThat(result.detail()).contains("connect_failed");
    assertNoSecret(result.toString());
  }

  @Test
  void sendWhenSuccessBodyMalformedThenAcceptedWithoutProviderId() {
    SendResult result =
        sendAnswered(
            aResponse()
                .withStatus(successStatus())
                .withHeader("Content-Type", "text/html")
                .withBody("<html>upstream said ok</html>"));

    // The provider took the message: retrying would send it twice.
    assertThat(result.kind()).isEqualTo(Kind.ACCEPTED);
    assertThat(result.providerMessageId()).isEmpty();
    assertThat(result.detail()).startsWith("accepted; ");
  }

  @Test
  void sendWhenOptionalPartsMissingThenOneRequestWithoutNullsAndNoThrow() {
    server.stubFor(post(urlPathEqualTo(sendPath())).willReturn(accepted()));
    OutgoingMail bare =
        new OutgoingMail(
            "msg_bare",
            null,
            null,
            null,
            "ada@example.com",
            "Hi",
            "text only",
            null,
            null,
            Map.of());

    SendResult result = sender().send(bare);

    assertThat(result.kind()).isEqualTo(Kind.ACCEPTED);
    server.verify(
        1,
        postRequestedFor(urlPathEqualTo(sendPath()))
            .withRequestBody(notContaining("null"))
            .withRequestBody(containing("msg_bare")));
  }

  @Test
  void sendWhenProviderRedirectsThenPermanentNamingTheUrlVariable() {
    SendResult result =
        sendAnswered(aResponse().withStatus(301).withHeader("Location", "https://elsewhere.test/"));

    assertThat(result.kind()).isEqualTo(Kind.PERMANENT);
    assertThat(result.detail()).contains("301").contains("_API_URL");
  }

  @Test
  void sendWhenProviderErrorEchoesTheKeyThenDetailMasksIt() {
    SendResult result =
        sendAnswered(error(401, "invalid credential " + key().reveal() + " for this account"));

    assertThat(result.kind()).isEqualTo(Kind.PERMANENT);
    assertThat(result.detail()).contains("invalid credential **** for this account");
  }

  @Test
  void healthWhenKeyAcceptedThenUpWithoutSendingMail() throws Exception {
    server.stubFor(
        get(urlPathEqualTo(healthPath()))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody(canned("health.json"))));

    HealthResult health = sender().health();

    assertThat(health.status()).isEqualTo(HealthStatus.UP);
    server.verify(1, withAuth(getRequestedFor(urlPathEqualTo(healthPath()))));
    server.verify(0, postRequestedFor(anyUrl()));
    assertNoSecret(health.toString());
  }

  @Test
  void healthWhenKeyRejectedThenDownWithoutTheKey() throws Exception {
    server.stubFor(
        get(urlPathEqualTo(healthPath())).willReturn(error(403, "bad key " + key().reveal())));

    HealthResult health = sender().health();

    assertThat(health.status()).isEqualTo(HealthStatus.DOWN);
    assertThat(health.detail()).contains("credentials rejected");
    assertNoSecret(health.toString());
  }

  @Test
  void healthWhenProviderUnreachableThenDown() throws Exception {
    HealthResult health = sender(key(), closedPort(), http, SHORT_TIMEOUT, clock).health();

    assertThat(health.status()).isEqualTo(HealthStatus.DOWN);
    assertThat(health.detail()).contains("unreachable");
    assertNoSecret(health.toString());
    server.verify(0, anyRequestedFor(anyUrl()));
  }

  private static URI closedPort() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    return URI.create("http://127.0.0.1:" + port);
  }
}
