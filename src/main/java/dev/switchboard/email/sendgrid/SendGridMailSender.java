package dev.switchboard.email.sendgrid;

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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends through SendGrid's v3 Mail Send API, one request per message and one attempt per {@link #send} (the queue
 * retries). Implements https://www.twilio.com/docs/sendgrid/api-reference/mail-send/mail-send and reads its errors
 * as https://www.twilio.com/docs/sendgrid/api-reference/how-to-use-the-sendgrid-v3-api/responses describes.
 *
 * <p>SendGrid has no idempotency key; the stable {@code Message-ID} header and {@code switchboard_message_id} custom
 * arg let delivery events and duplicates be traced back to one message.
 */
public final class SendGridMailSender implements MailSender {

  static final String INTEGRATION_ID = "email.sendgrid";
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
  private static final Pattern NAMED_ADDRESS = Pattern.compile("^\\s*\"?([^\"<]*?)\"?\\s*<([^<>\\s]+)>\\s*$");

  private final Secret apiKey;
  private final String base;
  private final OutboundHttp http;
  private final Duration timeout;
  private final Clock clock;
  private final JsonMapper json = JsonMapper.builder().build();

  public SendGridMailSender(Secret apiKey, URI baseUrl, OutboundHttp http) {
    this(apiKey, baseUrl, http, REQUEST_TIMEOUT, Clock.systemUTC());
  }

  /** For tests: a short timeout, and the clock {@code X-RateLimit-Reset} is measured against. */
  SendGridMailSender(Secret apiKey, URI baseUrl, OutboundHttp http, Duration timeout, Clock clock) {
    this.apiKey = Objects.requireNonNull(apiKey, "apiKey cannot be null");
    this.base = baseUrl.toString().replaceAll("/+$", "");
    this.http = Objects.requireNonNull(http, "http cannot be null");
    this.timeout = timeout;
    this.clock = clock;
  }

  @Override
  public String id() {
    return "sendgrid";
  }

  @Override
  public SendResult send(OutgoingMail mail) {
    HttpRequest request = authorized("/v3/mail/send")
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
      return SendResult.permanent("SendGrid answered HTTP " + response.statusCode() + "; check SENDGRID_API_URL");
    }
    // A 2xx means SendGrid queued the message; a missing id must not make the queue send it a second time.
    return response.headers().firstValue("x-message-id").filter(id -> !id.isBlank())
        .map(SendResult::accepted)
        .orElseGet(() -> new SendResult(SendResult.Kind.ACCEPTED, Optional.empty(), Optional.empty(),
            "accepted; SendGrid returned no X-Message-Id"));
  }

  /** Reads the key's scopes: reachable with a key that may send is up; a rejected or send-less key is down. */
  @Override
  public HealthResult health() {
    HttpResponse<String> response;
    try {
      response = http.send(INTEGRATION_ID, authorized("/v3/scopes").GET().build(), RetryPolicy.noRetry());
    } catch (OutboundException e) {
      return ProviderAnswers.health("SendGrid", e);
    }
    JsonNode scopes = ProviderAnswers.parse(response.body()).path("scopes");
    if (scopes.isArray() && scopes.valueStream().noneMatch(s -> "mail.send".equals(s.asString()))) {
      return HealthResult.down("API key lacks the mail.send scope");
    }
    return HealthResult.up("API reachable, key accepted");
  }

  private HttpRequest.Builder authorized(String path) {
    return HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout)
        .header("Authorization", "Bearer " + apiKey.reveal())
        .header("Accept", "application/json");
  }

  private SendResult classify(OutboundException e) {
    if (e.status().isEmpty()) {
      return SendResult.retryable("SendGrid not reached: " + e.code());
    }
    int status = e.status().getAsInt();
    if (status == 429) {
      return SendResult.rateLimited(e.retryAfter().or(() -> untilReset(e)), "rate limited by SendGrid (HTTP 429)");
    }
    if (status >= 500) {
      return SendResult.retryable("SendGrid unavailable (HTTP " + status + ")");
    }
    return SendResult.permanent("SendGrid rejected the message (HTTP " + status + ")" + firstError(e));
  }

  /** {@code X-RateLimit-Reset} is the epoch second at which the bucket refills. */
  private Optional<Duration> untilReset(OutboundException e) {
    return e.responseHeader("x-ratelimit-reset").map(String::trim).filter(v -> v.matches("\\d{1,12}")).map(v -> {
      Duration wait = Duration.between(clock.instant(), Instant.ofEpochSecond(Long.parseLong(v)));
      return wait.isNegative() ? Duration.ZERO : wait;
    });
  }

  private String firstError(OutboundException e) {
    JsonNode first = ProviderAnswers.body(e).path("errors").path(0);
    String message = first.path("message").asString("");
    if (message.isBlank()) {
      return "";
    }
    String field = first.path("field").asString("");
    return ProviderAnswers.detail(message + (field.isBlank() ? "" : " (field " + field + ")"), apiKey);
  }

  private static Body body(OutgoingMail mail) {
    Map<String, String> headers = new LinkedHashMap<>();
    mail.headers().forEach((name, value) -> {
      if (!name.equalsIgnoreCase("Message-ID")) {
        headers.put(name, value);
      }
    });
    if (mail.rfcMessageId() != null) {
      headers.put("Message-ID", mail.rfcMessageId());
    }
    List<Content> content = new java.util.ArrayList<>();
    // SendGrid requires text/plain before text/html.
    if (mail.text() != null) {
      content.add(new Content("text/plain", mail.text()));
    }
    if (mail.html() != null) {
      content.add(new Content("text/html", mail.html()));
    }
    List<String> categories = mail.template() == null || mail.template().isBlank() ? null : List.of(mail.template());
    return new Body(
        List.of(new Personalization(List.of(new Address(mail.to(), null)),
            Map.of("switchboard_message_id", mail.messageId()))),
        address(mail.from()), mail.subject(), content, headers.isEmpty() ? null : headers, categories);
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
  private record Body(List<Personalization> personalizations, Address from, String subject, List<Content> content,
      Map<String, String> headers, List<String> categories) {}

  private record Personalization(List<Address> to, @JsonProperty("custom_args") Map<String, String> customArgs) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  private record Address(String email, String name) {}

  private record Content(String type, String value) {}
}
