package dev.switchboard.monitoring;

import dev.switchboard.platform.http.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** What the API and the dashboard do with alerts: list, acknowledge, silence, send a test. */
public final class AlertService {

  public static final int MAX_LIST = 200;
  public static final Duration MAX_SILENCE = Duration.ofDays(90);
  public static final int MAX_REASON = 500;

  private final AlertStore store;
  private final AlertDispatcher dispatcher;
  private final AlertCatalog catalog;
  private final Clock clock;
  private final Supplier<String> ids;

  public AlertService(
      AlertStore store,
      AlertDispatcher dispatcher,
      AlertCatalog catalog,
      Clock clock,
      Supplier<String> ids) {
    this.store = store;
    this.dispatcher = dispatcher;
    this.catalog = catalog;
    this.clock = clock;
    this.ids = ids;
  }

  /** Open incidents first, then the most recent others. */
  public List<Incident> incidents(int limit) {
    return store.recentIncidents(Math.min(Math.max(limit, 1), MAX_LIST));
  }

  public List<Silence> silences() {
    return store.activeSilences(clock.instant());
  }

  public AlertCatalog catalog() {
    return catalog;
  }

  /**
   * Acknowledges an open incident: no more reminders. Acknowledging twice keeps the first.
   *
   * @throws ApiException 404 {@code not_found} for an unknown id, 409 {@code incident_resolved}
   *     when it is over
   */
  public Incident acknowledge(String id, String by) {
    Incident incident = store.incident(id).orElseThrow(() -> ApiException.notFound("incident"));
    if (!incident.open()) {
      throw new ApiException(409, "incident_resolved", "This incident is already resolved.");
    }
    store.acknowledge(id, by, clock.instant());
    return store.incident(id).orElseThrow();
  }

  /**
   * Adds a silence.
   *
   * @throws ApiException 400 {@code validation_failed} when neither rule nor subject is given, the
   *     rule is unknown, {@code until} is not in the future or more than 90 days ahead, or the
   *     reason is missing or too long
   */
  public Silence silence(
      Optional<String> rule, Optional<String> subject, Instant until, String reason, String by) {
    Instant now = clock.instant();
    if (rule.isEmpty() && subject.isEmpty()) {
      throw ApiException.invalidField(
          "rule", "give a rule, a subject or both; a silence of everything is not allowed");
    }
    if (rule.isPresent() && AlertRule.byId(rule.get()).isEmpty()) {
      throw ApiException.invalidField(
          "rule",
          "unknown rule; rules are integration_down, error_rate_high,"
              + " rate_limit_approaching, secret_rotation_due and jobs_dead");
    }
    if (subject.isPresent() && (subject.get().isBlank() || subject.get().length() > 200)) {
      throw ApiException.invalidField("subject", "subject must be 1 to 200 characters");
    }
    if (!until.isAfter(now) || until.isAfter(now.plus(MAX_SILENCE))) {
      throw ApiException.invalidField(
          "until", "until must be in the future and at most 90 days ahead");
    }
    if (reason == null || reason.isBlank() || reason.length() > MAX_REASON) {
      throw ApiException.invalidField(
          "reason", "reason must be 1 to " + MAX_REASON + " characters");
    }
    Silence silence =
        new Silence(
            "sil_" + ids.get().replaceFirst("^inc_", ""),
            rule,
            subject,
            until,
            reason.trim(),
            Optional.ofNullable(by),
            now);
    store.addSilence(silence);
    return silence;
  }

  /**
   * Sends a test alert to every configured channel.
   *
   * @throws ApiException 409 {@code no_alert_channel} when no channel is configured
   */
  public List<AlertChannel> test() {
    List<AlertChannel> channels = dispatcher.test(clock.instant());
    if (channels.isEmpty()) {
      throw new ApiException(
          409,
          "no_alert_channel",
          "No alert channel is configured; set PAGERDUTY_ROUTING_KEY, SLACK_WEBHOOK_URL or ALERT_EMAIL_TO.");
    }
    return channels;
  }
}
