package dev.switchboard.monitoring;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The alert rules and channels as configured, for documents and pages that describe the setup (the
 * generated integration architecture document, the dashboard). Read-only; nothing here is a secret.
 */
public final class AlertCatalog {

  /**
   * One rule.
   *
   * @param id the rule id ({@code integration_down}, …)
   * @param severity critical, high or medium
   * @param condition when it fires, in one sentence with the configured thresholds
   * @param channel the channel it is routed to by design
   * @param deliveredTo where its notices actually go with this configuration (may be empty:
   *     dashboard only)
   * @param thresholds variable name to configured value
   */
  public record RuleDefinition(
      String id,
      String severity,
      String condition,
      String channel,
      List<String> deliveredTo,
      Map<String, String> thresholds) {}

  /**
   * One channel.
   *
   * @param id pagerduty, slack or email
   * @param configured whether its variable is set (email: also in development, through the dev
   *     outbox)
   * @param target where it delivers, masked ({@code https://hooks.slack.com/…}, a routing key's
   *     last characters)
   * @param variable the variable that configures it
   * @param state not_configured, never_used, ok, failing or broken
   * @param lastDelivery when it last delivered or failed
   * @param lastDetail what happened then
   */
  public record ChannelStatus(
      String id,
      boolean configured,
      String target,
      String variable,
      String state,
      Optional<Instant> lastDelivery,
      String lastDetail) {}

  private final AlertsConfig config;
  private final AlertChannels channels;
  private final AlertStore store;
  private final Map<AlertChannel, String> targets;

  public AlertCatalog(
      AlertsConfig config,
      AlertChannels channels,
      AlertStore store,
      Map<AlertChannel, String> targets) {
    this.config = config;
    this.channels = channels;
    this.store = store;
    this.targets = Map.copyOf(targets);
  }

  /**
   * Every rule with its thresholds and channel, in the order of section 9 of the architecture
   * document.
   */
  public List<RuleDefinition> rules() {
    AlertsConfig.Rules r = config.rules();
    List<RuleDefinition> rules = new ArrayList<>();
    rules.add(
        rule(
            AlertRule.INTEGRATION_DOWN,
            "an integration's health check fails "
                + r.downAfter()
                + " times in a row; resolved after "
                + r.upAfter()
                + " good checks in a row",
            thresholds("ALERT_DOWN_AFTER", r.downAfter(), "ALERT_UP_AFTER", r.upAfter())));
    rules.add(
        rule(
            AlertRule.ERROR_RATE_HIGH,
            "more than "
                + percent(r.errorRate())
                + " of an integration's calls fail"
                + " (5xx or no answer) over "
                + CheckRun.human(r.errorWindow())
                + " with at least "
                + r.errorMinRequests()
                + " calls, or "
                + r.newErrorGroupsPerMinute()
                + " new error groups in a minute; not while that integration is"
                + " paged as down",
            thresholds(
                "ALERT_ERROR_RATE",
                r.errorRate(),
                "ALERT_ERROR_WINDOW",
                CheckRun.human(r.errorWindow()),
                "ALERT_ERROR_MIN_REQUESTS",
                r.errorMinRequests(),
                "ALERT_NEW_ERROR_GROUPS",
                r.newErrorGroupsPerMinute())));
    rules.add(
        rule(
            AlertRule.RATE_LIMIT_APPROACHING,
            "a rate limit is used above "
                + percent(r.rateLimitShare())
                + " for "
                + CheckRun.human(r.rateLimitFor())
                + ", or a provider answers 429",
            thresholds(
                "ALERT_RATE_LIMIT_SHARE",
                r.rateLimitShare(),
                "ALERT_RATE_LIMIT_FOR",
                CheckRun.human(r.rateLimitFor()))));
    rules.add(
        rule(
            AlertRule.SECRET_ROTATION_DUE,
            "a configured secret is within "
                + r.secretWarnDays()
                + " days of "
                + r.secretMaxAgeDays()
                + " days in use",
            thresholds(
                "SECRET_ROTATION_DAYS",
                r.secretMaxAgeDays(),
                "SECRET_ROTATION_WARN_DAYS",
                r.secretWarnDays())));
    rules.add(
        rule(
            AlertRule.JOBS_DEAD,
            "jobs of a type are dead (attempts used up); resolved when retried or purged",
            Map.of()));
    return rules;
  }

  /** Reminders, evaluation and lease settings shared by every rule. */
  public Map<String, String> incidentSettings() {
    AlertsConfig.Rules r = config.rules();
    return thresholds(
        "ALERT_REMINDER_INTERVAL",
        CheckRun.human(r.reminderInterval()),
        "ALERT_MAX_REMINDERS",
        r.maxReminders(),
        "ALERT_EVALUATE_INTERVAL",
        CheckRun.human(r.evaluateInterval()),
        "ALERT_LEASE",
        CheckRun.human(r.lease()));
  }

  /** Every channel, configured or not, with its last delivery. */
  public List<ChannelStatus> channels() {
    List<ChannelStatus> list = new ArrayList<>();
    for (AlertChannel channel : AlertChannel.values()) {
      list.add(status(channel));
    }
    return list;
  }

  /** One channel's status; reads the last delivery from the database. */
  public ChannelStatus status(AlertChannel channel) {
    String variable =
        switch (channel) {
          case PAGERDUTY -> "PAGERDUTY_ROUTING_KEY";
          case SLACK -> "SLACK_WEBHOOK_URL";
          case EMAIL -> "ALERT_EMAIL_TO";
        };
    boolean configured = channels.configured(channel);
    Optional<AlertStore.ChannelDelivery> last =
        configured ? lastDelivery(channel) : Optional.empty();
    String state =
        !configured
            ? "not_configured"
            : last.map(d -> d.ok() ? "ok" : d.broken() ? "broken" : "failing").orElse("never_used");
    return new ChannelStatus(
        channel.id(),
        configured,
        targets.getOrDefault(channel, "(not set)"),
        variable,
        state,
        last.map(AlertStore.ChannelDelivery::at),
        last.map(AlertStore.ChannelDelivery::detail).orElse(""));
  }

  private Optional<AlertStore.ChannelDelivery> lastDelivery(AlertChannel channel) {
    try {
      return store.lastDelivery(channel.id());
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private RuleDefinition rule(AlertRule rule, String condition, Map<String, String> thresholds) {
    return new RuleDefinition(
        rule.id(),
        rule.severity(),
        condition,
        rule.channel().id(),
        channels.route(rule).stream().map(AlertChannel::id).toList(),
        thresholds);
  }

  private static Map<String, String> thresholds(Object... pairs) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put((String) pairs[i], String.valueOf(pairs[i + 1]));
    }
    return map;
  }

  private static String percent(double share) {
    double p = share * 100;
    return (p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p)) + " %";
  }
}
