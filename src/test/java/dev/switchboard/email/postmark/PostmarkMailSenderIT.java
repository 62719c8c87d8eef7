package dev.switchboard.email.postmark;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
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
import dev.switchboard.platform.outbound.OutboundHttp;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PostmarkMailSenderIT extends MailSenderContract {

  static final Secret TOKEN = Secret.of("5f1c2b9e-8d4a-4c6f-9e3b-7a2d1c0b9f8e");

  @Override
  protected String provider() {
    return "postmark";
  }

  @Override
  protected Secret key() {
    return TOKEN;
  }

  @Override
  protected MailSender sender(
      Secret key, URI baseUrl, OutboundHttp http, Duration timeout, Clock clock) {
    return new PostmarkMailSender(key, baseUrl, http, timeout);
  }

  @Override
  protected String sendPath() {
    return "/email";
  }

  @Override
  protected String healthPath() {
    return "/server";
  }

  @Override
  protected RequestPatternBuilder withAuth(RequestPatternBuilder request) {
    return request
        .withHeader("X-Postmark-Server-Token", equalTo(TOKEN.reveal()))
        .withHeader("Accept", equalTo("application/json"));
  }

  @Override
  protected ResponseDefinitionBuilder accepted() {
    return json(200, canned("accepted.json"));
  }

  @Override
  protected String acceptedProviderId() {
    return "b7bc2f4a-e38e-4336-af7d-e6c392c2f817";
  }

  @Override
  protected ResponseDefinitionBuilder rejected() {
    return json(422, canned("rejected.json"));
  }

  @Override
  protected String rejectedReason() {
    return "(HTTP 422, ErrorCode 300): Invalid 'To' address: 'ada@example'.";
  }

  @Override
  protected ResponseDefinitionBuilder error(int status, String message) {
    return json(
        status, "{\"ErrorCode\":" + (status == 401 ? 10 : 0) + ",\"Message\":\"" + message + "\"}");
  }

  /**
   * Postmark documents 429 without a delay header; a {@code Retry-After}, should one come, is
   * honoured.
   */
  @Override
  protected ResponseDefinitionBuilder rateLimited(Duration delay) {
    return json(429, canned("rate-limited.json"))
        .withHeader("Retry-After", String.valueOf(delay.toSeconds()));
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
  void sendWhenRecipientInactiveThenSuppressed() {
    SendResult result = sendAnswered(json(422, canned("inactive-recipient.json")));

    assertThat(result.kind()).isEqualTo(Kind.SUPPRESSED);
    assertThat(result.detail()).contains("ErrorCode 406").contains("marked as inactive");
  }

  @Test
  void sendWhenTokenRejectedThenPermanent() {
    SendResult result = sendAnswered(json(401, canned("unauthorized.json")));

    assertThat(result.kind()).isEqualTo(Kind.PERMANENT);
    assertThat(result.detail()).contains("HTTP 401").contains("Server Token you provided");
  }

  @Test
  void sendWhen429WithoutDelayHeaderThenRateLimitedWithoutDelay() {
    SendResult result = sendAnswered(json(429, canned("rate-limited.json")));

    assertThat(result.kind()).isEqualTo(Kind.RATE_LIMITED);
    assertThat(result.retryAfter()).isEmpty();
  }

  @Test
  void sendWhen422CarriesRateLimitCodeThenRateLimited() {
    SendResult result = sendAnswered(json(422, canned("rate-limited.json")));

    assertThat(result.kind()).isEqualTo(Kind.RATE_LIMITED);
  }

  @Test
  void sendWhen200CarriesInactiveRecipientCodeThenSuppressed() {
    SendResult result = sendAnswered(json(200, canned("inactive-recipient.json")));

    assertThat(result.kind()).isEqualTo(Kind.SUPPRESSED);
  }

  @Test
  void sendWhen422IsNotJsonThenPermanent() {
    SendResult result = sendAnswered(aResponse().withStatus(422).withBody("Unprocessable"));

    assertThat(result.kind()).isEqualTo(Kind.PERMANENT);
    assertThat(result.detail()).isEqualTo("Postmark rejected the message (HTTP 422)");
  }

  @Test
  void sendWhenNoTemplateNorHtmlThenTagAndHtmlBodyLeftOut() {
    OutgoingMail base = mail();
    OutgoingMail mail =
        new OutgoingMail(
            base.messageId(),
            base.idempotencyKey(),
            base.rfcMessageId(),
            base.from(),
            base.to(),
            base.subject(),
            base.text(),
            null,
            null,
            Map.of());
    server.stubFor(post(urlPathEqualTo(sendPath())).willReturn(accepted()));

    assertThat(sender().send(mail).kind()).isEqualTo(Kind.ACCEPTED);

    server.verify(
        1,
        postRequestedFor(urlPathEqualTo(sendPath()))
            .withRequestBody(
                equalToJson(
                    "{\"Headers\":[{\"Name\":\"Message-ID\",\"Value\":\""
                        + base.rfcMessageId()
                        + "\"}],\"MessageStream\":\"outbound\"}",
                    false,
                    true))
            .withRequestBody(notContaining("\"Tag\""))
            .withRequestBody(notContaining("HtmlBody")));
  }
}
