package dev.switchboard.email.sendgrid;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
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
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SendGridMailSenderIT extends MailSenderContract {

  static final Secret KEY =
      Secret.of("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");

  @Override
  protected String provider() {
    return "sendgrid";
  }

  @Override
  protected Secret key() {
    return KEY;
  }

  @Override
  protected MailSender sender(
      Secret key, URI baseUrl, OutboundHttp http, Duration timeout, Clock clock) {
    return new SendGridMailSender(key, baseUrl, http, timeout, clock);
  }

  @Override
  protected String sendPath() {
    return "/v3/mail/send";
  }

  @Override
  protected String healthPath() {
    return "/v3/scopes";
  }

  @Override
  protected RequestPatternBuilder withAuth(RequestPatternBuilder request) {
    return request.withHeader("Authorization", equalTo("Bearer " + KEY.reveal()));
  }

  @Override
  protected ResponseDefinitionBuilder accepted() {
    return aResponse().withStatus(202).withHeader("X-Message-Id", "W86EgYT6SQKk0lRflfLRsA");
  }

  @Override
  protected String acceptedProviderId() {
    return "W86EgYT6SQKk0lRflfLRsA";
  }

  @Override
  protected ResponseDefinitionBuilder rejected() {
    return json(400, canned("rejected.json"));
  }

  @Override
  protected String rejectedReason() {
    return "HTTP 400): The from address does not match a verified Sender Identity";
  }

  @Override
  protected ResponseDefinitionBuilder error(int status, String message) {
    return json(status, "{\"errors\":[{\"field\":null,\"message\":\"" + message + "\"}]}");
  }

  @Override
  protected ResponseDefinitionBuilder rateLimited(Duration delay) {
    return json(429, canned("rate-limited.json"))
        .withHeader("X-RateLimit-Limit", "600")
        .withHeader("X-RateLimit-Remaining", "0")
        .withHeader("X-RateLimit-Reset", String.valueOf(NOW.plus(delay).getEpochSecond()));
  }

  @Override
  protected int successStatus() {
    return 202;
  }

  private static ResponseDefinitionBuilder json(int status, String body) {
    return aResponse()
        .withStatus(status)
        .withHeader("Content-Type", "application/json")
        .withBody(body);
  }

  @Test
  void sendWhen429HasRetryAfterAndResetThenRetryAfterWins() {
    SendResult result =
        sendAnswered(rateLimited(Duration.ofSeconds(60)).withHeader("Retry-After", "5"));

    assertThat(result.kind()).isEqualTo(Kind.RATE_LIMITED);
    assertThat(result.retryAfter()).contains(Duration.ofSeconds(5));
  }

  @ParameterizedTest
  @CsvSource({"-30, PT0S", "not-a-number, ", "'', "})
  void sendWhen429ResetIsPastOrUnreadableThenNoNegativeDelay(String reset, Duration expected) {
    String header =
        reset.matches("-?\\d+")
            ? String.valueOf(NOW.getEpochSecond() + Long.parseLong(reset))
            : reset;
    SendResult result =
        sendAnswered(
            json(429, canned("rate-limited.json")).withHeader("X-RateLimit-Reset", header));

    assertThat(result.kind()).isEqualTo(Kind.RATE_LIMITED);
    assertThat(result.retryAfter()).isEqualTo(Optional.ofNullable(expected));
  }

  @ParameterizedTest
  @CsvSource({
    "401, unauthorized.json, The provided authorization grant is invalid",
    "403, unauthorized.json, The provided authorization grant is invalid",
    "413, rate-limited.json, too many requests"
  })
  void sendWhenAuthOrSizeRejectedThenPermanent(int status, String file, String reason) {
    SendResult result = sendAnswered(json(status, canned(file)));

    assertThat(result.kind()).isEqualTo(Kind.PERMANENT);
    assertThat(result.detail()).contains("HTTP " + status).contains(reason);
  }

  @Test
  void sendWhenRejectionNamesAFieldThenDetailNamesIt() {
    SendResult result = sendAnswered(rejected());

    assertThat(result.detail()).contains("(field from)").doesNotContain("subject is required");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "no-reply@acme.test | {\"email\":\"no-reply@acme.test\"}",
        "\"Acme, Inc.\" <no-reply@acme.test> | {\"email\":\"no-reply@acme.test\",\"name\":\"Acme, Inc.\"}",
        "<no-reply@acme.test> | {\"email\":\"no-reply@acme.test\"}"
      })
  void sendWhenFromHasNameOrNotThenSendGridAddressObject(String from, String expected) {
    OutgoingMail base = mail();
    OutgoingMail mail =
        new OutgoingMail(
            base.messageId(),
            base.idempotencyKey(),
            base.rfcMessageId(),
            from,
            base.to(),
            base.subject(),
            base.text(),
            null,
            null,
            Map.of());
    server.stubFor(post(urlPathEqualTo(sendPath())).willReturn(accepted()));

    SendResult result = sender().send(mail);

    assertThat(result.kind()).isEqualTo(Kind.ACCEPTED);
    server.verify(
        1,
        postRequestedFor(urlPathEqualTo(sendPath()))
            .withRequestBody(equalToJson("{\"from\":" + expected + "}", false, true))
            .withRequestBody(notContaining("text/html"))
            .withRequestBody(notContaining("categories")));
  }

  @Test
  void healthWhenKeyCannotSendMailThenDown() throws Exception {
    server.stubFor(
        get(urlPathEqualTo(healthPath())).willReturn(json(200, canned("health-no-send.json"))));

    var health = sender().health();

    assertThat(health.status()).isEqualTo(HealthStatus.DOWN);
    assertThat(health.detail()).isEqualTo("API key lacks the mail.send scope");
  }

  @Test
  void healthWhenRateLimitedThenDegraded() throws Exception {
    server.stubFor(
        get(urlPathEqualTo(healthPath())).willReturn(rateLimited(Duration.ofSeconds(3))));

    assertThat(sender().health().status()).isEqualTo(HealthStatus.DEGRADED);
  }
}
