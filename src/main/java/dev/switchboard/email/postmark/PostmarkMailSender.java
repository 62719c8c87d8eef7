package dev.switchboard.email.postmark;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.switchboard.email.MailSender;
import dev.switchboard.email.OutgoingMail;
import dev.switchboard.email.ProviderAnswers;
import dev.switchboard.email.SendResult;
import dev.switchboard.platform.config.Secret;
import dev.switchboard.platform.integrations.HealthResult;
import dev.switchboard.platform.outbound.OutboundException;
import dev.switchboard.platform.outbound.OutboundHttp;
import dev.switchboard.platform.outbound.RetryPolicy;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends through Postmark's single-message API on the transactional {@code outbound} stream, one attempt per
 * {@link #send} (the queue retries). Implements https://postmarkapp.com/developer/api/email-api and classifies
 * answers with the codes of https://postmarkapp.com/developer/api/overview#error-codes: {@code ErrorCode} 406
 * (inactive recipient: hard bounce, complaint or manual suppression) is a suppression, other 422 codes are
 * permanent.
 */
public final class PostmarkMailSender implements MailSender {

  static final String INTEGRATION_ID = "email.postmark";
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
  private static final int INACTIVE_RECIPIENT = 406;
  private static final int RATE_LIMIT_EXCEEDED = 429;

  private final Secret serverToken;
  private final String base;
  private final OutboundHttp http;
  private final Duration timeout;
  private final JsonMapper json = JsonMapper.builder().build();

  public PostmarkMailSender(Secret serverToken, URI baseUrl, OutboundHttp http) {
    this(serverToken, baseUrl, http, REQUEST_TIMEOUT);
  }

  /** For tests: a short request timeout. */
  PostmarkMailSender(Secret serverToken, URI baseUrl, OutboundHttp http, Duration timeout) {
    this.serverToken = Objects.requireNonNull(serverToken, "serverToken cannot be null");
    this.base = baseUrl.toString().replaceAll("/+$", "");
    this.http = Objects.requireNonNull(http, "http cannot be null");
    this.timeout = timeout;
  }

  @Override
  public String id() {
    return "postmark";
  }

  @Override
  public SendResult send(OutgoingMail mail) {
    HttpRequest request = authorized("/email")
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body(mail))))
        .build();
    HttpResponse<String> response;
    try {
      response = http.send(INTEGRATION_ID, request, RetryPolicy.noRetry());
    } catch (OutboundException e) {
      return classify(e);
    }
    if (response.statusCode() / 100 != 2) {
      return SendResult.permanent("Postmark answered HTTP " + response.statusCode() + "; check POSTMARK_API_URL");
    }
    JsonNode answer = ProviderAnswers.parse(response.body());
    int errorCode = answer.path("ErrorCode").asInt(0);
    if (errorCode != 0) {
      // A single send reports failures with 422; an error code inside a 200 is still Postmark saying no.
      return byErrorCode(errorCode, answer, 200);
    }
    // A 2xx without a readable id: Postmark took the message; sending again would deliver it twice.
    String messageId = answer.path("MessageID").asString("");
    return messageId.isBlank()
        ? new SendResult(SendResult.Kind.ACCEPTED, Optional.empty(), Optional.empty(),
            "accepted; Postmark returned no MessageID")
        : SendResult.accepted(messageId);
  }

  /** Reads the server the token belongs to: cheap, authenticated and sends nothing. */
  @Override
  public HealthResult health() {
    try {
      http.send(INTEGRATION_ID, authorized("/server").GET().build(), RetryPolicy.noRetry());
      return HealthResult.up("API reachable, server token accepted");
    } catch (OutboundException e) {
      return ProviderAnswers.health("Postmark", e);
    }
  }

  private HttpRequest.Builder authorized(String path) {
    return HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout)
        .header("X-Postmark-Server-Token", serverToken.reveal())
        .header("Accept", "application/json");
  }

  private SendResult classify(OutboundException e) {
    if (e.status().isEmpty()) {
      return SendResult.retryable("Postmark not reached: " + e.code());
    }
    int status = e.status().getAsInt();
    JsonNode answer = ProviderAnswers.body(e);
    if (status == 429) {
      // Postmark publishes no rate-limit headers; Retry-After is honoured should it ever come.
      return SendResult.rateLimited(e.retryAfter(), "rate limited by Postmark (HTTP 429)");
    }
    if (status >= 500) {
      return SendResult.retryable("Postmark unavailable (HTTP " + status + ")");
    }
    if (status == 422 && answer.path("ErrorCode").isNumber()) {
      return byErrorCode(answer.path("ErrorCode").asInt(), answer, status);
    }
    return SendResult.permanent("Postmark rejected the message (HTTP " + status + ")" + message(answer));
  }

  private SendResult byErrorCode(int errorCode, JsonNode answer, int status) {
    String what = " (HTTP " + status + ", ErrorCode " + errorCode + ")" + message(answer);
    return switch (errorCode) {
      case INACTIVE_RECIPIENT -> SendResult.suppressed("Postmark: recipient inactive" + what);
      case RATE_LIMIT_EXCEEDED -> SendResult.rateLimited(Optional.empty(), "rate limited by Postmark" + what);
      default -> SendResult.permanent("Postmark rejected the message" + what);
    };
  }

  private String message(JsonNode answer) {
    return ProviderAnswers.detail(answer.path("Message").asString(""), serverToken);
  }

  private static Body body(OutgoingMail mail) {
    List<Header> headers = new ArrayList<>();
    mail.headers().forEach((name, value) -> {
      if (!name.equalsIgnoreCase("Message-ID")) {
        headers.add(new Header(name, value));
      }
    });
    if (mail.rfcMessageId() != null) {
      headers.add(new Header("Message-ID", mail.rfcMessageId()));
    }
    String tag = mail.template() == null || mail.template().isBlank() ? null : mail.template();
    return new Body(mail.from(), mail.to(), mail.subject(), mail.text(), mail.html(),
        headers.isEmpty() ? null : headers,
        Map.of("switchboard_message_id", mail.messageId()), tag, "outbound");
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
