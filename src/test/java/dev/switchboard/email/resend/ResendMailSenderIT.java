package dev.switchboard.email.resend;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import dev.switchboard.email.MailSender;
import dev.switchboard.email.MailSenderContract;
import dev.switchboard.email.OutgoingMail;
import dev.switchboard.email.SendResult;
import dev.switchboard.email.SendResult.Kind;
import dev.switchboard.platform.config.Secret;
import dev.switchboard.platform.integrations.HealthStatus;
import dev.switchboard.platform.outbound.OutboundHttp;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResendMailSenderIT extends MailSenderContract {

  static final Secret KEY = Secret.of("re_c1tpEyD8_NKFusih9vKVQknRAQfmFcWCv");

  @Override
  protected String provider() {
    return "resend";
  }

  @Override
  protected Secret key() {
    return KEY;
  }

  @Override
  protected MailSender sender(
      Secret key, URI baseUrl, OutboundHttp http, Duration timeout, Clock clock) {
    return new ResendMailSender(key, baseUrl, http, timeout);
  }

  @Override
  protected String sendPath() {
    return "/emails";
  }

  @Override
  protected String healthPath() {
    return "/domains";
  }

  @Override
  protected RequestPatternBuilder withAuth(RequestPatternBuilder request) {
    return request.withHeader("Authorization", equalTo("Bearer " + KEY.reveal()));
  }

  @Override
  protected ResponseDefinitionBuilder accepted() {
    return json(200, canned("accepted.json"));
  }

  @Override
  protected String acceptedProviderId() {
    return "49a3999c-0ce1-4ea6-ab68-afcd6dc2e794";
  }

  @Override
  protected ResponseDefinitionBuilder rejected() {
    return json(422, canned("rejected.json"));
  }

  @Override
  protected String rejectedReason() {
    return "(HTTP 422, validation_error): Invalid `to` field.";
  }

  @Override
  protected ResponseDefinitionBuilder error(int status, String message) {
    String name =
        switch (status) {
          case 401 -> "missing_api_key";
          case 403 -> "invalid_api_key";
          case 429 -> "rate_limit_exceeded";
          default -> status >= 500 ? "internal_server_error" : "validation_error";
        };
    return json(
        status,
        "{\"statusCode\":"
            + status
            + ",\"name\":\""
            + name
            + "\",\"message\":\""
            + message
            + "\"}");
  }

  @Override
  protected ResponseDefinitionBuilder rateLimited(Duration delay) {
    return json(429, canned("rate-limited.json"))
        .withHeader("ratelimit-limit", "2")
        .withHeader("ratelimit-remaining", "0")
        .withHeader("ratelimit-reset", String.valueOf(delay.toSeconds()))
        .withHeader("retry-after", String.valueOf(delay.toSeconds()));
  }

  @Override
  protected int successStatus() {
    return 200;
  }

  private static ResponseDefinitionBuilder json(int status, String body) {
    return aResponse()
        .withStatus(status)
        .withHeader("Content-Type", "application/json")
        .withBody(body);
  }

  @Test
  void sendWhenRetriedAfter5xxThenEveryAttemptCarriesTheSameIdempotencyKey() {
    server.stubFor(
        post(urlPathEqualTo(sendPath()))
            .inScenario("retry")
            .whenScenarioStateIs(STARTED)
            .willReturn(error(503, "unavailable"))
            .willSetStateTo("recovered"));
    server.stubFor(
        post(urlPathEqualTo(sendPath()))
            .inScenario("retry")
            .whenScenarioStateIs("recovered")
            .willReturn(accepted()));

    SendResult first = sender().send(mail());
    SendResult second = sender().send(mail());

    assertThat(first.kind()).isEqualTo(Kind.RETRYABLE);
    assertThat(second.kind()).isEqualTo(Kind.ACCEPTED);
    server.verify(
        2,
        postRequestedFor(urlPathEqualTo(sendPath()))
            .withHeader("Idempotency-Key", equalTo("idem_01JNZ4T7C9XK2M")));
  }

  @Test
  void sendWhenMailHasNoIdempotencyKeyThenItsMessageIdIsTheKey() {
    server.stubFor(post(urlPathEqualTo(sendPath())).willReturn(accepted()));

    sender().send(withIds("msg_01JNZ4T7C9XK2M", null));

    server.verify(
        1,
        postRequestedFor(urlPathEqualTo(sendPath()))
            .withHeader("Idempotency-Key", equalTo("msg_01JNZ4T7C9XK2M")));
  }

  @Test
  void sendWhenIdempotentRequestStillInProgressThenRetryable() {
    SendResult result = sendAnswered(json(409, canned("concurrent-idempotent.json")));

    assertThat(result.kind()).isEqualTo(Kind.RETRYABLE);
    assertThat(result.detail()).contains("concurrent_idempotent_requests");
  }

  @Test
  void sendWhenIdempotencyKeyReusedWithOtherPayloadThenPermanent() {
    SendResult result = sendAnswered(json(409, canned("invalid-idempotent.json")));

    assertThat(result.kind()).isEqualTo(Kind.PERMANENT);
    assertThat(result.detail()).contains("invalid_idempotent_request");
  }

  @Test
  void sendWhenDailyQuotaExceededThenRateLimitedWithRetryAfter() {
    SendResult result =
        sendAnswered(json(429, canned("daily-quota.json")).withHeader("retry-after", "3600"));

    assertThat(result.kind()).isEqualTo(Kind.RATE_LIMITED);
    assertThat(result.retryAfter()).contains(Duration.ofHours(1));
    assertThat(result.detail()).contains("daily_quota_exceeded");
  }

  @Test
  void sendWhen429HasOnlyRateLimitResetThenThatDelay() {
    SendResult result =
        sendAnswered(json(429, canned("rate-limited.json")).withHeader("ratelimit-reset", "2"));

    assertThat(result.retryAfter()).contains(Duration.ofSeconds(2));
  }

  @Test
  void sendWhenMessageIdHasCharactersResendRefusesInTagsThenTagLeftOut() {
    server.stubFor(post(urlPathEqualTo(sendPath())).willReturn(accepted()));

    sender().send(withIds("msg.01/JNZ", "idem_1"));

    server.verify(
        1,
        postRequestedFor(urlPathEqualTo(sendPath()))
            .withRequestBody(
                equalToJson(
                    "{\"tags\":[{\"name\":\"template\",\"value\":\"welcome\"}]}", false, true))
            .withRequestBody(notContaining("switchboard_message_id")));
  }

  @Test
  void sendWhenIdempotencyKeyLongerThanResendAllowsThenHeaderLeftOut() {
    server.stubFor(post(urlPathEqualTo(sendPath())).willReturn(accepted()));

    sender().send(withIds("msg_1", "k".repeat(257)));

    server.verify(
        1, postRequestedFor(urlPathEqualTo(sendPath())).withHeader("Idempotency-Key", absent()));
  }

  @Test
  void healthWhenKeyMaySendOnlyThenUp() throws Exception {
    server.stubFor(
        get(urlPathEqualTo(healthPath())).willReturn(json(401, canned("restricted-key.json"))));

    var health = sender().health();

    assertThat(health.status()).isEqualTo(HealthStatus.UP);
    assertThat(health.detail()).contains("sending-only");
  }

  @Test
  void healthWhenKeyMissingThenDown() throws Exception {
    server.stubFor(
        get(urlPathEqualTo(healthPath()))
            .willReturn(error(401, "Missing API key in the authorization header")));

    assertThat(sender().health().status()).isEqualTo(HealthStatus.DOWN);
  }

  private static OutgoingMail withIds(String messageId, String idempotencyKey) {
    OutgoingMail base = mail();
    return new OutgoingMail(
        messageId,
        idempotencyKey,
        base.rfcMessageId(),
        base.from(),
        base.to(),
        base.subject(),
        base.text(),
        base.html(),
        base.template(),
        Map.of());
  }
}
