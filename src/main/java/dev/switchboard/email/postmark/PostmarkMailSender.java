package dev.switchboard.email.postmark;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.switchboard.email.MailSender;
import dev.switchboard.email.OutgoingMail;
import dev.switchboard.email.SendResult;
import dev.switchboard.platform.config.Secret;
import dev.switchboard.platform.integrations.HealthResult;
import dev.switchboard.platform.outbound.OutboundHttp;
import dev.switchboard.platform.outbound.ProviderCall;
import dev.switchboard.platform.outbound.ProviderFailure;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Sends through Postmark's single-message API on the transactional {@code outbound} stream, one
 * attempt per {@link #send} (the queue retries). Implements
 * https://postmarkapp.com/developer/api/email-api and classifies answers with the codes of
 * https://postmarkapp.com/developer/api/overview#error-codes: {@code ErrorCode} 406 (inactive
 * recipient: hard bounce, complaint or manual suppression) is a suppression, other 422 codes are
 * permanent.
 */
public final class PostmarkMailSender implements MailSender {

  static final String INTEGRATION_ID = "email.postmark";
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
  private static final int INACTIVE_RECIPIENT = 406;
  private static final int RATE_LIMIT_EXCEEDED = 429;

  private final ProviderCall postmark;

  public PostmarkMailSender(Secret serverToken, URI baseUrl, OutboundHttp http) {
    this(serverToken, baseUrl, http, REQUEST_TIMEOUT);
  }

  /** For tests: a short request timeout. */
  PostmarkMailSender(Secret serverToken, URI baseUrl, OutboundHttp http, Duration timeout) {
    this.postmark =
        ProviderCall.to(INTEGRATION_ID, "Postmark", baseUrl, http)
            .credentialHeader("X-Postmark-Server-Token", serverToken)
            .timeout(timeout)
            .build();
  }

  @Override
  public String id() {
    return "postmark";
  }

  @Override
  public SendResult send(OutgoingMail mail) {
    return postmark.exchange(
        postmark.post("/email", body(mail)).build(),
        answer -> {
          JsonNode json = answer.json();
          int errorCode = json.path("ErrorCode").asInt(0);
          if (errorCode != 0) {
            // A single send reports failures with 422; an error code inside a 200 is still Postmark
            // saying no.
            return byErrorCode(errorCode, 200, postmark.detail(json.path("Message").asString("")));
          }
          return SendResult.accepted(
              json.path("MessageID").asString(""), "accepted; Postmark returned no MessageID");
        },
        this::classify);
  }

  /** Reads the server the token belongs to: cheap, authenticated and sends nothing. */
  @Override
  public HealthResult health() {
    return postmark.exchange(
        postmark.get("/server").build(),
        answer -> HealthResult.up("API reachable, server token accepted"),
        ProviderFailure::health);
  }

  private SendResult classify(ProviderFailure f) {
    JsonNode answer = f.json();
    String message = f.detail(answer.path("Message").asString(""));
    return switch (f.kind()) {
      case UNREACHABLE -> SendResult.retryable(f.summary());
      // Postmark publishes no rate-limit headers; Retry-After is honoured should it ever come.
      case RATE_LIMITED ->
          SendResult.rateLimited(f.retryAfter(), "rate limited by Postmark (HTTP 429)");
      case UNAVAILABLE ->
          SendResult.retryable("Postmark unavailable (HTTP " + f.status().getAsInt() + ")");
      case UNEXPECTED_STATUS, MALFORMED_ANSWER ->
          SendResult.permanent(f.summary() + "; check POSTMARK_API_URL");
      case CONFLICT, REJECTED ->
          f.status().getAsInt() == 422 && answer.path("ErrorCode").isNumber()
              ? byErrorCode(answer.path("ErrorCode").asInt(), 422, message)
              : SendResult.permanent(
                  "Postmark rejected the message (HTTP " + f.status().getAsInt() + ")" + message);
    };
  }

  private static SendResult byErrorCode(int errorCode, int status, String message) {
    String what = " (HTTP " + status + ", ErrorCode " + errorCode + ")" + message;
    return switch (errorCode) {
      case INACTIVE_RECIPIENT -> SendResult.suppressed("Postmark: recipient inactive" + what);
      case RATE_LIMIT_EXCEEDED ->
          SendResult.rateLimited(Optional.empty(), "rate limited by Postmark" + what);
      default -> SendResult.permanent("Postmark rejected the message" + what);
    };
  }

  private static Body body(OutgoingMail mail) {
    List<Header> headers =
        mail.headersWithMessageId().entrySet().stream()
            .map(h -> new Header(h.getKey(), h.getValue()))
            .toList();
    String tag = mail.template() == null || mail.template().isBlank() ? null : mail.template();
    return new Body(
        mail.from(),
        mail.to(),
        mail.subject(),
        mail.text(),
        mail.html(),
        headers.isEmpty() ? null : headers,
        Map.of("switchboard_message_id", mail.messageId()),
        tag,
        "outbound");
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  private record Body(
      @JsonProperty("From") String from,
      @JsonProperty("To") String to,
      @JsonProperty("Subject") String subject,
      @JsonProperty("TextBody") String textBody,
      @JsonProperty("HtmlBody") String htmlBody,
      @JsonProperty("Headers") List<Header> headers,
      @JsonProperty("Metadata") Map<String, String> metadata,
      @JsonProperty("Tag") String tag,
      @JsonProperty("MessageStream") String messageStream) {}

  private record Header(@JsonProperty("Name") String name, @JsonProperty("Value") String value) {}
}
