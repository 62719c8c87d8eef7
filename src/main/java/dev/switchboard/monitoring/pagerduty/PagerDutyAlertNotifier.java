package dev.switchboard.monitoring.pagerduty;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.switchboard.monitoring.AlertChannel;
import dev.switchboard.monitoring.AlertDeliveryException;
import dev.switchboard.monitoring.AlertMessage;
import dev.switchboard.monitoring.AlertNotifier;
import dev.switchboard.platform.config.Secret;
import dev.switchboard.platform.outbound.OutboundHttp;
import dev.switchboard.platform.outbound.ProviderCall;
import dev.switchboard.platform.outbound.ProviderFailure;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Sends alerts as PagerDuty Events API v2 events:
 * https://developer.pagerduty.com/docs/events-api-v2/trigger-events/ and
 * https://developer.pagerduty.com/docs/events-api-v2/resolve-events/. The routing key is the
 * credential (no auth header). The {@code dedup_key} is the incident's deterministic key, so a
 * resolve sent after a restart closes the alert the trigger opened. A reminder is a trigger with
 * the same key: PagerDuty adds it to the open alert. A test alert is an {@code info} trigger
 * resolved at once.
 *
 * <p>Answers: 202 taken; 400 invalid event (not retried); 429 throttled (retried after minutes);
 * 5xx and no answer retried with the queue's backoff; any other 4xx marks the channel broken.
 */
public final class PagerDutyAlertNotifier implements AlertNotifier {

  public static final String INTEGRATION_ID = "alerts.pagerduty";
  static final Duration THROTTLED_RETRY = Duration.ofMinutes(2);
  static final int MAX_SUMMARY = 1024;

  private final Secret routingKey;
  private final String source;
  private final String clientUrl;
  private final ProviderCall pagerduty;

  /**
   * @param url the events endpoint ({@code https://events.pagerduty.com/v2/enqueue})
   * @param source PagerDuty's {@code payload.source}: where the alert comes from (Switchboard's
   *     host)
   * @param clientUrl the dashboard's alerts page, shown as the event's link back
   */
  public PagerDutyAlertNotifier(
      Secret routingKey,
      URI url,
      String source,
      String clientUrl,
      OutboundHttp http,
      Duration timeout) {
    this.routingKey = Objects.requireNonNull(routingKey, "routingKey cannot be null");
    this.source = source;
    this.clientUrl = clientUrl;
    this.pagerduty =
        ProviderCall.to(INTEGRATION_ID, "PagerDuty", url, http).timeout(timeout).build();
  }

  public PagerDutyAlertNotifier(
      Secret routingKey, URI url, String source, String clientUrl, OutboundHttp http) {
    this(routingKey, url, source, clientUrl, http, ProviderCall.DEFAULT_TIMEOUT);
  }

  @Override
  public AlertChannel channel() {
    return AlertChannel.PAGERDUTY;
  }

  @Override
  public void send(AlertMessage message) {
    if (message.resolves()) {
      post(new Event(routingKey.reveal(), "resolve", message.dedupKey(), null, null, null));
      return;
    }
    post(
        new Event(
            routingKey.reveal(),
            "trigger",
            message.dedupKey(),
            payload(message),
            "Switchboard",
            clientUrl));
    if (AlertMessage.TEST.equals(message.action())) {
      post(new Event(routingKey.reveal(), "resolve", message.dedupKey(), null, null, null));
    }
  }

  private Payload payload(AlertMessage m) {
    String summary = m.headline() + ": " + m.detail();
    return new Payload(
        summary.length() > MAX_SUMMARY ? summary.substring(0, MAX_SUMMARY - 1) + "…" : summary,
        source,
        severity(m.severity()),
        m.at().toString(),
        m.subject(),
        "switchboard",
        m.rule(),
        Map.of(
            "rule",
            m.rule(),
            "subject",
            m.subject(),
            "environment",
            m.environment(),
            "detail",
            m.detail(),
            "reminder",
            Integer.toString(m.reminder())));
  }

  /** Our severities to PagerDuty's critical, error, warning, info. */
  static String severity(String ours) {
    return switch (ours) {
      case "critical" -> "critical";
      case "high" -> "error";
      case "medium" -> "warning";
      default -> "info";
    };
  }

  private void post(Event event) {
    AlertDeliveryException failure =
        pagerduty.exchange(
            pagerduty.post("", event).build(), answer -> null, PagerDutyAlertNotifier::classify);
    if (failure != null) {
      throw failure;
    }
  }

  private static AlertDeliveryException classify(ProviderFailure f) {
    int status = f.status().orElse(0);
    return switch (f.kind()) {
      case UNREACHABLE ->
          AlertDeliveryException.retryable("PagerDuty not reached: " + f.code(), Optional.empty());
      case RATE_LIMITED ->
          AlertDeliveryException.retryable(
              "PagerDuty throttled the event (HTTP 429)",
              Optional.of(
                  f.retryAfter()
                      .filter(d -> d.compareTo(THROTTLED_RETRY) > 0)
                      .orElse(THROTTLED_RETRY)));
      case UNAVAILABLE, CONFLICT ->
          AlertDeliveryException.retryable(
              "PagerDuty unavailable (HTTP " + status + ")", Optional.empty());
      case REJECTED ->
          status == 400
              ? AlertDeliveryException.rejected(
                  "PagerDuty rejected the event as invalid (HTTP 400)")
              : AlertDeliveryException.broken(
                  "PagerDuty refused the event (HTTP " + status + "); check PAGERDUTY_ROUTING_KEY");
      case UNEXPECTED_STATUS, MALFORMED_ANSWER ->
          AlertDeliveryException.broken(f.summary() + "; check PAGERDUTY_EVENTS_URL");
    };
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  private record Event(
      @JsonProperty("routing_key") String routingKey,
      @JsonProperty("event_action") String eventAction,
      @JsonProperty("dedup_key") String dedupKey,
      Payload payload,
      String client,
      @JsonProperty("client_url") String clientUrl) {}

  private record Payload(
      String summary,
      String source,
      String severity,
      String timestamp,
      String component,
      String group,
      @JsonProperty("class") String eventClass,
      @JsonProperty("custom_details") Map<String, String> customDetails) {}
}
