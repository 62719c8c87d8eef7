package dev.switchboard.platform.config;

import java.util.List;
import java.util.Optional;

/** Where alerts go: PagerDuty Events v2, a Slack incoming webhook, and email recipients. */
public record AlertsConfig(Optional<Secret> pagerdutyRoutingKey, Optional<Secret> slackWebhookUrl, List<String> emailTo) {

  static AlertsConfig load(ConfigReader r) {
    Optional<Secret> pagerduty = r.secret("PAGERDUTY_ROUTING_KEY");
    pagerduty.ifPresent(k -> {
      if (!k.reveal().matches("^[A-Za-z0-9]{32}$")) {
        r.problem("PAGERDUTY_ROUTING_KEY", "expected the 32-character integration key of an Events API v2 integration");
      }
    });
    Optional<Secret> slack = r.secretUrl("SLACK_WEBHOOK_URL", List.of("https", "http"));
    List<String> to = r.list("ALERT_EMAIL_TO");
    for (String email : to) {
      if (!email.matches("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$")) {
        r.problem("ALERT_EMAIL_TO", "'" + email + "' is not an email address");
      }
    }
    return new AlertsConfig(pagerduty, slack, to);
  }
}
