package dev.switchboard.monitoring.slack;

import dev.switchboard.monitoring.AlertChannel;
import dev.switchboard.monitoring.AlertDeliveryException;
import dev.switchboard.monitoring.AlertMessage;
import dev.switchboard.monitoring.AlertNotifier;
import dev.switchboard.platform.config.Secret;
import dev.switchboard.platform.outbound.OutboundException;
import dev.switchboard.platform.outbound.OutboundHttp;
import dev.switchboard.platform.outbound.RetryPolicy;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Posts alerts to a Slack incoming webhook (https://docs.slack.dev/messaging/sending-messages-using-incoming-webhooks/):
 * {@code text} as the notification fallback plus {@code blocks} (a section and a context line). The URL is the
 * credential, so it never reaches logs or listeners ({@link OutboundHttp#sendToSecretUrl}).
 *
 * <p>Answers (https://api.slack.com/messaging/webhooks#handling_errors): 200 {@code ok}; 429 with
 * {@code Retry-After} (retried then); 5xx and no answer retried with backoff; any other 4xx
 * ({@code invalid_payload}, {@code invalid_token}, {@code no_service}, {@code channel_not_found},
 * {@code channel_is_archived}, …) is permanent and marks the channel broken: retrying cannot help.
 */
public final class SlackAlertNotifier implements AlertNotifier {

  public static final String INTEGRATION_ID = "alerts.slack";
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private final Secret webhookUrl;
  private final OutboundHttp http;
  private final Duration timeout;
  private final JsonMapper json = JsonMapper.builder().build();

  public SlackAlertNotifier(Secret webhookUrl, OutboundHttp http, Duration timeout) {
    this.webhookUrl = webhookUrl;
    this.http = http;
    this.timeout = timeout;
  }

  public SlackAlertNotifier(Secret webhookUrl, OutboundHttp http) {
    this(webhookUrl, http, REQUEST_TIMEOUT);
  }

  @Override
  public AlertChannel channel() {
    return AlertChannel.SLACK;
  }

  @Override
  public void send(AlertMessage message) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(webhookUrl.reveal())).timeout(timeout)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body(message))))
        .build();
    HttpResponse<String> response;
    try {
      response = http.sendToSecretUrl(INTEGRATION_ID, request, RetryPolicy.noRetry());
    } catch (OutboundException e) {
      throw classify(e);
    }
    if (!"ok".equals(response.body() == null ? "" : response.body().trim())) {
      throw AlertDeliveryException.broken("Slack answered HTTP " + response.statusCode() + " without ok");
    }
  }

  static Map<String, Object> body(AlertMessage m) {
    String text = m.headline() + ": " + m.detail();
    String context = "env=" + m.environment() + " • rule=" + m.rule() + " • subject=" + m.subject() + " • " + m.at();
    return Map.of("text", text, "blocks", List.of(
        Map.of("type", "section", "text", Map.of("type", "mrkdwn",
            "text", "*" + escape(m.headline()) + "*\n" + escape(m.detail()))),
        Map.of("type", "context", "elements", List.of(Map.of("type", "mrkdwn", "text", escape(context))))));
  }

  /** Slack's mrkdwn needs only these three escaped. */
  static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static AlertDeliveryException classify(OutboundException e) {
    if (e.status().isEmpty()) {
      return AlertDeliveryException.retryable("Slack not reached: " + e.code(), Optional.empty());
    }
    int status = e.status().getAsInt();
    if (status == 429) {
      return AlertDeliveryException.retryable("Slack rate limited the webhook (HTTP 429)", e.retryAfter());
    }
    if (status >= 500) {
      return AlertDeliveryException.retryable("Slack unavailable (HTTP " + status + ")", Optional.empty());
    }
    String code = e.responseBody().map(String::trim).filter(b -> b.matches("^[a-z_]{1,40}$")).orElse("no error code");
    return AlertDeliveryException.broken("Slack refused the webhook (HTTP " + status + " " + code
        + "); create a new incoming webhook and set SLACK_WEBHOOK_URL");
  }
}
