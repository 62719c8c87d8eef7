package dev.switchboard.monitoring;

import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.platform.integrations.ArchitectureSection;
import dev.switchboard.platform.integrations.Markdown;
import java.util.List;

/**
 * Chapter 9.2 of the architecture document: the alert rules with their defaults and the channel
 * each goes to now. Written from {@link AlertsConfig}: the thresholds in force, so a changed {@code
 * ALERT_*} variable shows here.
 */
class AlertsArchitectureSection implements ArchitectureSection {

  private final SwitchboardConfig config;

  AlertsArchitectureSection(SwitchboardConfig config) {
    this.config = config;
  }

  @Override
  public int order() {
    return 91;
  }

  @Override
  public String chapter() {
    return HealthArchitectureSection.CHAPTER;
  }

  @Override
  public List<Part> parts(Context context) {
    AlertsConfig a = config.area(AlertsConfig.class);
    String fallback = "dashboard + dev outbox";
    String pagerduty =
        a.pagerdutyRoutingKey()
            .map(k -> "Page on-call (PagerDuty)")
            .orElse("Page on-call: " + fallback + " until `PAGERDUTY_ROUTING_KEY` is set");
    String slack =
        a.slackWebhookUrl()
            .map(k -> "Slack notification")
            .orElse("Slack: " + fallback + " until `SLACK_WEBHOOK_URL` is set");
    String email =
        a.emailTo().isEmpty()
            ? "Email warning: " + fallback + " until `ALERT_EMAIL_TO` is set"
            : "Email warning to " + String.join(", ", a.emailTo());
    AlertsConfig.Rules r = a.rules();
    List<List<String>> rules =
        List.of(
            List.of(
                "Integration down ("
                    + r.downAfter()
                    + " consecutive failed checks; resolved after "
                    + r.upAfter()
                    + " successes)",
                "Critical",
                pagerduty),
            List.of(
                "High error rate (over "
                    + percent(r.errorRate())
                    + " of an integration's calls failing in "
                    + r.errorWindow().toMinutes()
                    + " minutes, at least "
                    + r.errorMinRequests()
                    + " calls; or "
                    + r.newErrorGroupsPerMinute()
                    + " new error groups in a minute)",
                "High",
                slack),
            List.of(
                "Rate limit approaching (over "
                    + percent(r.rateLimitShare())
                    + " for "
                    + r.rateLimitFor().toSeconds()
                    + " s, or a provider 429)",
                "Medium",
                email),
            List.of(
                "Secret rotation due ("
                    + r.secretWarnDays()
                    + " days before a secret is "
                    + r.secretMaxAgeDays()
                    + " days old)",
                "Medium",
                email),
            List.of("Jobs dead (moved to the dead state)", "High", slack));
    List<List<String>> channels =
        List.of(
            List.of(
                "PagerDuty Events API v2",
                a.pagerdutyRoutingKey()
                    .map(k -> "`PAGERDUTY_ROUTING_KEY` " + k.masked())
                    .orElse("not set")),
            List.of(
                "Slack incoming webhook",
                a.slackWebhookUrl()
                    .map(u -> "`SLACK_WEBHOOK_URL` " + u.maskedUrl())
                    .orElse("not set")),
            List.of(
                "Email",
                a.emailTo().isEmpty()
                    ? "not set"
                    : "`ALERT_EMAIL_TO` " + String.join(", ", a.emailTo())));
    String body =
        Markdown.table(List.of("Condition", "Severity", "Action"), rules)
            + "\n"
            + "**Channels:**\n"
            + Markdown.table(List.of("Channel", "Setting"), channels)
            + "\n"
            + "Incidents are deduplicated per rule and subject, reminded every "
            + r.reminderInterval().toHours()
            + " h (`ALERT_REMINDER_INTERVAL`, at most "
            + r.maxReminders()
            + " times) and resolved once.\n";
    return List.of(new Part("Alerts", body));
  }

  private static String percent(double share) {
    return Math.round(share * 100) + " %";
  }
}
