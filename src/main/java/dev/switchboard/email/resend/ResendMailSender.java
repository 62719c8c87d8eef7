package dev.switchboard.email.resend;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.switchboard.email.MailSender;
import dev.switchboard.email.OutgoingMail;
import dev.switchboard.email.SendResult;
import dev.switchboard.platform.config.Secret;
import dev.switchboard.platform.integrations.HealthResult;
import dev.switchboard.platform.outbound.OutboundHttp;
import dev.switchboard.platform.outbound.ProviderCall;
import dev.switchboard.platform.outbound.ProviderFailure;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Sends through Resend's email API, one attempt per {@link #send} (the queue retries). Implements
 * https://resend.com/docs/api-reference/emails/send-email with errors from
 * https://resend.com/docs/api-reference/errors and rate limits from
 * https://resend.com/docs/api-reference/rate-limit.
 *
 * <p>Every attempt for one message carries the same {@code Idempotency-Key}, so a retry after a
 * timeout that Resend did act on returns the first result instead of sending a second email (24 h
 * window).
 */
public final class ResendMailSender implements MailSender {

  static final String INTEGRATION_ID = "email.resend";
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  /** Resend accepts only these characters in tag names and values. */
  private static final Pattern TAG_VALUE = Pattern.compile("^[A-Za-z0-9_-]{1,256}$");

  private static final int MAX_IDEMPOTENCY_KEY = 256;

  private final ProviderCall resend;

  public ResendMailSender(Secret apiKey, URI baseUrl, OutboundHttp http) {
    this(apiKey, baseUrl, http, REQUEST_TIMEOUT);
  }

  /** For tests: a short request timeout. */
  ResendMailSender(Secret apiKey, URI baseUrl, OutboundHttp http, Duration timeout) {
    this.resend =
        ProviderCall.to(INTEGRATION_ID, "Resend", baseUrl, http)
            .bearer(apiKey)
            .timeout(timeout)
            .build();
  }

  @Override
  public String id() {
    return "resend";
  }

  @Override
  public SendResult send(OutgoingMail mail) {
    HttpRequest.Builder request = resend.post("/emails", body(mail));
    idempotencyKey(mail).ifPresent(key -> request.header("Idempotency-Key", key));
    return resend.exchange(
        request.build(),
        answer ->
            SendResult.accepted(
                answer.json().path("id").asString(""), "accepted; Resend returned no id"),
        this::classify);
  }

  /**
   * Lists the domains. A sending-only key is answered {@code restricted_api_key}, which still
   * proves the key is valid, so it counts as up: the recommended key for this job is exactly such a
   * key.
   */
  @Override
  public HealthResult health() {
    return resend.exchange(
        resend.get("/domains").build(),
        answer -> HealthResult.up("API reachable, key accepted"),
        f ->
            f.status().isPresent() && "restricted_api_key".equals(errorName(f))
                ? HealthResult.up("API reachable, sending-only key accepted")
                : f.health());
  }

  private SendResult classify(ProviderFailure f) {
    if (f.kind() == ProviderFailure.Kind.UNREACHABLE) {
      return SendResult.retryable(f.summary());
    }
    if (f.kind() == ProviderFailure.Kind.UNEXPECTED_STATUS
        || f.kind() == ProviderFailure.Kind.MALFORMED_ANSWER) {
      return SendResult.permanent(f.summary() + "; check RESEND_API_URL");
    }
    int status = f.status().getAsInt();
    String name = errorName(f);
    String what =
        " (HTTP "
            + status
            + (name.isEmpty() ? "" : ", " + name)
            + ")"
            + f.detail(f.json().path("message").asString(""));
    return switch (f.kind()) {
      // rate_limit_exceeded, daily_quota_exceeded, monthly_quota_exceeded all say when to come
      // back.
      case RATE_LIMITED ->
          SendResult.rateLimited(
              f.retryAfter().or(() -> seconds(f.header("ratelimit-reset"))),
              "rate limited by Resend" + what);
      // Same key, different body can never succeed; anything else (the first request still running)
      // will settle.
      case CONFLICT ->
          "invalid_idempotent_request".equals(name)
              ? SendResult.permanent("Resend refused the idempotency key" + what)
              : SendResult.retryable("Resend idempotency conflict" + what);
      case UNAVAILABLE -> SendResult.retryable("Resend unavailable" + what);
      default -> SendResult.permanent("Resend rejected the message" + what);
    };
  }

  private static String errorName(ProviderFailure f) {
    return f.json().path("name").asString("");
  }

  private static Optional<Duration> seconds(Optional<String> header) {
    return header
        .map(String::trim)
        .filter(v -> v.matches("\\d{1,9}"))
        .map(v -> Duration.ofSeconds(Long.parseLong(v)));
  }

  /**
   * The mail's key, else its message id (also stable across attempts); none when too long for
   * Resend.
   */
  private static Optional<String> idempotencyKey(OutgoingMail mail) {
    String key =
        mail.idempotencyKey() == null || mail.idempotencyKey().isBlank()
            ? mail.messageId()
            : mail.idempotencyKey();
    return key.length() <= MAX_IDEMPOTENCY_KEY ? Optional.of(key) : Optional.empty();
  }

  private static Body body(OutgoingMail mail) {
    Map<String, String> headers = mail.headersWithMessageId();
    // A value Resend would refuse is left out rather than rewritten: a rewritten id would match no
    // message, and
    // delivery events still match on Resend's own email id.
    List<Tag> tags = new ArrayList<>();
    if (TAG_VALUE.matcher(mail.messageId()).matches()) {
      tags.add(new Tag("switchboard_message_id", mail.messageId()));
    }
    if (mail.template() != null && TAG_VALUE.matcher(mail.template()).matches()) {
      tags.add(new Tag("template", mail.template()));
    }
    return new Body(
        mail.from(),
        List.of(mail.to()),
        mail.subject(),
        mail.text(),
        mail.html(),
        headers.isEmpty() ? null : headers,
        tags.isEmpty() ? null : tags);
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  private record Body(
      String from,
      List<String> to,
      String subject,
      String text,
      String html,
      Map<String, String> headers,
      List<Tag> tags) {}

  private record Tag(String name, String value) {}
}
