package dev.switchboard.monitoring;

import dev.switchboard.platform.config.ConfigArea;
import dev.switchboard.platform.config.ConfigReader;
import dev.switchboard.platform.config.CoreConfig;
import dev.switchboard.platform.config.DeploymentMode;
import dev.switchboard.platform.config.IntegrationStatus;
import dev.switchboard.platform.config.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where alerts go (PagerDuty Events v2, a Slack incoming webhook, email recipients) and when the
 * rules fire. Every threshold has a default and a variable; {@code docs/alerts.md} lists them.
 *
 * @param pagerdutyRoutingKey the 32-character integration key of an Events API v2 integration
 * @param pagerdutyUrl where events are posted ({@code PAGERDUTY_EVENTS_URL}, for tests and EU
 *     accounts)
 * @param slackWebhookUrl a Slack incoming-webhook URL; https only (plain http to this machine only
 *     in development)
 * @param emailTo recipients of email alerts
 * @param rules the rules' thresholds and the incident timings
 */
public record AlertsConfig(
    Optional<Secret> pagerdutyRoutingKey,
    URI pagerdutyUrl,
    Optional<Secret> slackWebhookUrl,
    List<String> emailTo,
    Rules rules) {

  static final String DEFAULT_PAGERDUTY_URL = "https://events.pagerduty.com/v2/enqueue";

  /**
   * @param downAfter consecutive failed checks before {@code integration_down} fires ({@code
   *     ALERT_DOWN_AFTER}, 3)
   * @param upAfter consecutive successful checks that resolve it ({@code ALERT_UP_AFTER}, 2)
   * @param errorRate the share of 5xx answers that fires {@code error_rate_high} ({@code
   *     ALERT_ERROR_RATE}, 0.05)
   * @param errorMinRequests calls needed in the window before the share counts ({@code
   *     ALERT_ERROR_MIN_REQUESTS}, 20)
   * @param errorWindow the window the share is measured over ({@code ALERT_ERROR_WINDOW}, 5m)
   * @param newErrorGroupsPerMinute new error groups in a minute that fire the rule ({@code
   *     ALERT_NEW_ERROR_GROUPS}, 10)
   * @param rateLimitShare the share of a rate limit that counts as close ({@code
   *     ALERT_RATE_LIMIT_SHARE}, 0.8)
   * @param rateLimitFor how long usage must stay above that share ({@code ALERT_RATE_LIMIT_FOR},
   *     1m)
   * @param secretMaxAgeDays when a secret should be rotated ({@code SECRET_ROTATION_DAYS}, 90)
   * @param secretWarnDays how many days before that the warning goes out ({@code
   *     SECRET_ROTATION_WARN_DAYS}, 14)
   * @param reminderInterval how often an open, unacknowledged incident is sent again ({@code
   *     ALERT_REMINDER_INTERVAL}, 4h)
   * @param maxReminders reminders per incident at most ({@code ALERT_MAX_REMINDERS}, 6; 0 turns
   *     them off)
   * @param evaluateInterval how often the rules are evaluated ({@code ALERT_EVALUATE_INTERVAL},
   *     10s)
   * @param lease how long one instance holds the right to evaluate and send ({@code ALERT_LEASE},
   *     30s)
   */
  public record Rules(
      int downAfter,
      int upAfter,
      double errorRate,
      int errorMinRequests,
      Duration errorWindow,
      int newErrorGroupsPerMinute,
      double rateLimitShare,
      Duration rateLimitFor,
      int secretMaxAgeDays,
      int secretWarnDays,
      Duration reminderInterval,
      int maxReminders,
      Duration evaluateInterval,
      Duration lease) {

    /** Every default, for tests and the generated documentation. */
    public static Rules defaults() {
      return new Rules(
          3,
          2,
          0.05,
          20,
          Duration.ofMinutes(5),
          10,
          0.8,
          Duration.ofMinutes(1),
          90,
          14,
          Duration.ofHours(4),
          6,
          Duration.ofSeconds(10),
          Duration.ofSeconds(30));
    }
  }

  public static AlertsConfig load(ConfigReader r, DeploymentMode mode) {
    Optional<Secret> pagerduty = r.secret("PAGERDUTY_ROUTING_KEY");
    pagerduty.ifPresent(
        k -> {
          if (!k.reveal().matches("^[A-Za-z0-9]{32}$")) {
            r.problem(
                "PAGERDUTY_ROUTING_KEY",
                "expected the 32-character integration key of an Events API v2 integration");
          }
        });
    URI pagerdutyUrl =
        r.url("PAGERDUTY_EVENTS_URL", List.of("https", "http"))
            .orElse(URI.create(DEFAULT_PAGERDUTY_URL));
    Optional<Secret> slack = r.secretUrl("SLACK_WEBHOOK_URL", List.of("https", "http"));
    if (slack.isPresent()
        && !slack.get().reveal().toLowerCase(Locale.ROOT).startsWith("https://")
        && !(mode == DeploymentMode.DEVELOPMENT && loopback(slack.get()))) {
      r.problem(
          "SLACK_WEBHOOK_URL",
          "must be an https:// URL (https://hooks.slack.com/services/…); the URL is a credential");
    }
    List<String> to = r.list("ALERT_EMAIL_TO");
    for (String email : to) {
      if (!email.matches("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$")) {
        r.problem("ALERT_EMAIL_TO", "'" + email + "' is not an email address");
      }
    }
    Rules d = Rules.defaults();
    Rules rules =
        new Rules(
            r.count("ALERT_DOWN_AFTER", d.downAfter(), 1, 100),
            r.count("ALERT_UP_AFTER", d.upAfter(), 1, 100),
            r.fraction("ALERT_ERROR_RATE", d.errorRate()),
            r.count("ALERT_ERROR_MIN_REQUESTS", d.errorMinRequests(), 1, 1_000_000),
            r.duration("ALERT_ERROR_WINDOW", "5m"),
            r.count("ALERT_NEW_ERROR_GROUPS", d.newErrorGroupsPerMinute(), 1, 1_000_000),
            r.fraction("ALERT_RATE_LIMIT_SHARE", d.rateLimitShare()),
            r.duration("ALERT_RATE_LIMIT_FOR", "1m"),
            r.count("SECRET_ROTATION_DAYS", d.secretMaxAgeDays(), 1, 3650),
            r.count("SECRET_ROTATION_WARN_DAYS", d.secretWarnDays(), 0, 3650),
            r.duration("ALERT_REMINDER_INTERVAL", "4h"),
            r.count("ALERT_MAX_REMINDERS", d.maxReminders(), 0, 1000),
            r.duration("ALERT_EVALUATE_INTERVAL", "10s"),
            r.duration("ALERT_LEASE", "30s"));
    if (rules.lease().compareTo(rules.evaluateInterval()) <= 0) {
      r.problem(
          "ALERT_LEASE",
          "must be longer than ALERT_EVALUATE_INTERVAL, or the holder loses it between evaluations");
    }
    return new AlertsConfig(pagerduty, pagerdutyUrl, slack, to, rules);
  }

  private static boolean loopback(Secret url) {
    String host = URI.create(url.reveal()).getHost();
    return "127.0.0.1".equals(host) || "localhost".equalsIgnoreCase(host);
  }

  /** Registers alerts with the platform's configuration reader. */
  public static final class Area implements ConfigArea<AlertsConfig> {

    @Override
    public Class<AlertsConfig> type() {
      return AlertsConfig.class;
    }

    @Override
    public List<String> variables() {
      return List.of(
          "PAGERDUTY_ROUTING_KEY",
          "PAGERDUTY_EVENTS_URL",
          "SLACK_WEBHOOK_URL",
          "ALERT_EMAIL_TO",
          "ALERT_REMINDER_INTERVAL",
          "ALERT_MAX_REMINDERS",
          "ALERT_DOWN_AFTER",
          "ALERT_UP_AFTER",
          "ALERT_ERROR_RATE",
          "ALERT_ERROR_MIN_REQUESTS",
          "ALERT_ERROR_WINDOW",
          "ALERT_NEW_ERROR_GROUPS",
          "ALERT_RATE_LIMIT_SHARE",
          "ALERT_RATE_LIMIT_FOR",
          "ALERT_EVALUATE_INTERVAL",
          "ALERT_LEASE",
          "SECRET_ROTATION_DAYS",
          "SECRET_ROTATION_WARN_DAYS");
    }

    @Override
    public List<String> prefixes() {
      return List.of("PAGERDUTY_", "SLACK_", "ALERT_", "ALERTS_");
    }

    @Override
    public AlertsConfig load(ConfigReader reader, CoreConfig core) {
      return AlertsConfig.load(reader, core.mode());
    }

    @Override
    public List<IntegrationStatus> integrations(AlertsConfig config, CoreConfig core) {
      List<String> channels = new ArrayList<>();
      config.pagerdutyRoutingKey().ifPresent(k -> channels.add("pagerduty"));
      config.slackWebhookUrl().ifPresent(k -> channels.add("slack"));
      if (!config.emailTo().isEmpty()) {
        channels.add("email");
      }
      return List.of(
          channels.isEmpty()
              ? new IntegrationStatus(
                  "alerts",
                  "dashboard + outbox",
                  "dev",
                  "PAGERDUTY_ROUTING_KEY, SLACK_WEBHOOK_URL, ALERT_EMAIL_TO")
              : new IntegrationStatus("alerts", String.join(" + ", channels), "live", ""));
    }
  }
}
