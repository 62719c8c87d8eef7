package dev.switchboard.email.sendgrid;

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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Sends through SendGrid's v3 Mail Send API, one request per message and one attempt per {@link
 * #send} (the queue retries). Implements
 * https://www.twilio.com/docs/sendgrid/api-reference/mail-send/mail-send and reads its errors as
 * https://www.twilio.com/docs/sendgrid/api-reference/how-to-use-the-sendgrid-v3-api/responses
 * describes.
 *
 * <p>SendGrid has no idempotency key; the stable {@code Message-ID} header and {@code
 * switchboard_message_id} custom arg let delivery events and duplicates be traced back to one
 * message.
 */
public final class SendGridMailSender implements MailSender {

  static final String INTEGRATION_ID = "email.sendgrid";
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
  private static final Pattern NAMED_ADDRESS =
      Pattern.compile("^\\s*\"?([^\"<]*?)\"?\\s*<([^<>\\s]+)>\\s*$");

  private final ProviderCall sendgrid;
  private final Clock clock;

  public SendGridMailSender(Secret apiKey, URI baseUrl, OutboundHttp http) {
    this(apiKey, baseUrl, http, REQUEST_TIMEOUT, Clock.systemUTC());
  }

  /** For tests: a short timeout, and the clock {@code X-RateLimit-Reset} is measured against. */
  SendGridMailSender(Secret apiKey, URI baseUrl, OutboundHttp http, Duration timeout, Clock clock) {
    this.sendgrid =
        ProviderCall.to(INTEGRATION_ID, "SendGrid", baseUrl, http)
            .bearer(apiKey)
            .timeout(timeout)
            .build();
    this.clock = clock;
  }

  @Override
  public String id() {
    return "sendgrid";
  }

  @Override
  public SendResult send(OutgoingMail mail) {
    // A 2xx means SendGrid queued the message; a missing id must not make the queue send it a
    // second time.
    return sendgrid.exchange(
        sendgrid.post("/v3/mail/send", body(mail)).build(),
        answer ->
            SendResult.accepted(
                answer.header("x-message-id").orElse(null),
                "accepted; SendGrid returned no X-Message-Id"),
        this::classify);
  }

  /**
   * Reads the key's scopes: reachable with a key that may send is up; a rejected or send-less key
   * is down.
   */
  @Override
  public HealthResult health() {
    return sendgrid.exchange(
        sendgrid.get("/v3/scopes").build(),
        answer -> {
          JsonNode scopes = answer.json().path("scopes");
          if (scopes.isArray()
              && scopes.valueStream().noneMatch(s -> "mail.send".equals(s.asString()))) {
            return HealthResult.down("API key lacks the mail.send scope");
          }
          return HealthResult.up("API reachable, key accepted");
        },
        ProviderFailure::health);
  }

  private SendResult classify(ProviderFailure f) {
    return switch (f.kind()) {
      case UNREACHABLE -> SendResult.retryable(f.summary());
      case RATE_LIMITED ->
          SendResult.rateLimited(
              f.retryAfter().or(() -> untilReset(f)), "rate limited by SendGrid (HTTP 429)");
      case UNAVAILABLE ->
          SendResult.retryable("SendGrid unavailable (HTTP " + f.status().getAsInt() + ")");
      case UNEXPECTED_STATUS, MALFORMED_ANSWER ->
          SendResult.permanent(f.summary() + "; check SENDGRID_API_URL");
      case CONFLICT, REJECTED ->
          SendResult.permanent(
              "SendGrid rejected the message (HTTP " + f.status().getAsInt() + ")" + firstError(f));
    };
  }

  /** {@code X-RateLimit-Reset} is the epoch second at which the bucket refills. */
  private Optional<Duration> untilReset(ProviderFailure f) {
    return f.header("x-ratelimit-reset")
        .map(String::trim)
        .filter(v -> v.matches("\\d{1,12}"))
        .map(
            v -> {
              Duration wait =
                  Duration.between(clock.instant(), Instant.ofEpochSecond(Long.parseLong(v)));
              return wait.isNegative() ? Duration.ZERO : wait;
            });
  }

  private static String firstError(ProviderFailure f) {
    JsonNode first = f.json().path("errors").path(0);
    String message = first.path("message").asString("");
    if (message.isBlank()) {
      return "";
    }
    String field = first.path("field").asString("");
    return f.detail(message + (field.isBlank() ? "" : " (field " + field + ")"));
  }

  private static Body body(OutgoingMail mail) {
    Map<String, String> headers = mail.headersWithMessageId();
    List<Content> content = new ArrayList<>();
    // SendGrid requires text/plain before text/html.
    if (mail.text() != null) {
      content.add(new Content("text/plain", mail.text()));
    }
    if (mail.html() != null) {
      content.add(new Content("text/html", mail.html()));
    }
    List<String> categories =
        mail.template() == null || mail.template().isBlank() ? null : List.of(mail.template());
    return new Body(
        List.of(
            new Personalization(
                List.of(new Address(mail.to(), null)),
                Map.of("switchboard_message_id", mail.messageId()))),
        address(mail.from()),
        mail.subject(),
        content,
        headers.isEmpty() ? null : headers,
        categories);
  }

  /** {@code "Name <a@x>"} or {@code a@x} to SendGrid's {@code {email, name}}. */
  private static Address address(String from) {
    if (from == null) {
      return null;
    }
    Matcher named = NAMED_ADDRESS.matcher(from);
    if (named.matches()) {
      String name = named.group(1).trim();
      return new Address(named.group(2), name.isEmpty() ? null : name);
    }
    return new Address(from.trim(), null);
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  private record Body(
      List<Personalization> personalizations,
      Address from,
      String subject,
      List<Content> content,
      Map<String, String> headers,
      List<String> categories) {}

  private record Personalization(
      List<Address> to, @JsonProperty("custom_args") Map<String, String> customArgs) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  private record Address(String email, String name) {}

  private record Content(String type, String value) {}
}
