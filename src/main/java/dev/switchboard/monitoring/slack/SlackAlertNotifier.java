package dev.switchboard.monitoring.slack;

import dev.switchboard.monitoring.AlertChannel;
import dev.switchboard.monitoring.AlertDeliveryException;
import dev.switchboard.monitoring.AlertMessage;
import dev.switchboard.monitoring.AlertNotifier;
import dev.switchboard.platform.config.Secret;
import dev.switchboard.platform.outbound.OutboundException;
import dev.switchboard.platform.outbound.OutboundHttp;
import dev.switchboard.platform.outbound.ProviderCall;
import dev.switchboard.platform.outbound.ProviderFailure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Posts alerts to a Slack incoming webhook
 * (https://docs.slack.dev/messaging/sending-messages-using-incoming-webhooks/): {@code text} as the
 * notification fallback plus {@code blocks} (a section and a context line). The URL is the
 * credential, so it never reaches logs or listeners ({@link ProviderCall#toSecretUrl}).
 *
 * <p>Answers (https://api.slack.com/messaging/webhooks#handling_errors): 200 {@code ok}; 429 with
 * {@code Retry-After} (retried then); 5xx and no answer retried with backoff; any other 4xx ({@code
 * invalid_payload}, {@code invalid_token}, {@code no_service}, {@code channel_not_found}, {@code
 * channel_is_archived}, …) is permanent and marks the channel broken: retrying cannot help.
 */
public final class SlackAlertNotifier implements AlertNotifier {

  public static final String INTEGRATION_ID = "alerts.slack";

  private final ProviderCall slack;

  public SlackAlertNotifier(Secret webhookUrl, OutboundHttp http, Duration timeout) {
    this.slack =
        ProviderCall.toSecretUrl(INTEGRATION_ID, "Slack", webhookUrl, http)
            .timeout(timeout)
            .build();
  }

  public SlackAlertNotifier(Secret webhookUrl, OutboundHttp http) {
    this(webhookUrl, http, ProviderCall.DEFAULT_TIMEOUT);
  }

  @Override
  public AlertChannel channel() {
    return AlertChannel.SLACK;
  }

  @Override
  public void send(AlertMessage message) {
    AlertDeliveryException failure =
        slack.exchange(
            slack.post("", body(message)).build(),
            answer ->
                "ok".equals(answer.body() == null ? "" : answer.body().trim())
                    ? null
                    : AlertDeliveryException.broken(
                        "Slack answered HTTP " + answer.status() + " without ok"),
            SlackAlertNotifier::classify);
    if (failure != null) {
      throw failure;
    }
  }

  static Map<String, Object> body(AlertMessage m) {
    String text = m.headline() + ": " + m.detail();
    String context =
        "env="
            + m.environment()
            + " • rule="
            + m.rule()
            + " • subject="
            + m.subject()
            + " • "
            + m.at();
    return Map.of(
        "text",
        text,
        "blocks",
        List.of(
            Map.of(
                "type",
                "section",
                "text",
                Map.of(
                    "type",
                    "mrkdwn",
                    "text",
                    "*" + escape(m.headline()) + "*\n" + escape(m.detail()))),
            Map.of(
                "type",
                "context",
                "elements",
                List.of(Map.of("type", "mrkdwn", "text", escape(context))))));
  }

  /** Slack's mrkdwn needs only these three escaped. */
  static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static AlertDeliveryException classify(ProviderFailure f) {
    int status = f.status().orElse(0);
    return switch (f.kind()) {
      case UNREACHABLE ->
          AlertDeliveryException.retryable("Slack not reached: " + f.code(), Optional.empty());
      case RATE_LIMITED ->
          AlertDeliveryException.retryable(
              "Slack rate limited the webhook (HTTP 429)", f.retryAfter());
      case UNAVAILABLE, CONFLICT ->
          AlertDeliveryException.retryable(
              "Slack unavailable (HTTP " + status + ")", Optional.empty());
      case REJECTED, UNEXPECTED_STATUS, MALFORMED_ANSWER -> {
        // Slack's error codes are plain text, not JSON; only a bare code is quoted.
        String code =
            f.cause()
                .flatMap(OutboundException::responseBody)
                .map(String::trim)
                .filter(b -> b.matches("^[a-z_]{1,40}$"))
                .orElse("no error code");
        yield AlertDeliveryException.broken(
            "Slack refused the webhook (HTTP "
                + status
                + " "
                + code
                + "); create a new incoming webhook and set SLACK_WEBHOOK_URL");
      }
    };
  }
}
