package dev.switchboard.monitoring;

import java.util.Arrays;
import java.util.Optional;

/**
 * The alert rules, with the severity and channel section 9 of the integration architecture gives
 * them. When a rule's channel is not configured the alert goes to email (the dev outbox in
 * development) and the dashboard.
 */
public enum AlertRule {
  INTEGRATION_DOWN("integration_down", "critical", AlertChannel.PAGERDUTY),
  ERROR_RATE_HIGH("error_rate_high", "high", AlertChannel.SLACK),
  RATE_LIMIT_APPROACHING("rate_limit_approaching", "medium", AlertChannel.EMAIL),
  SECRET_ROTATION_DUE("secret_rotation_due", "medium", AlertChannel.EMAIL),
  JOBS_DEAD("jobs_dead", "high", AlertChannel.SLACK);

  private final String id;
  private final String severity;
  private final AlertChannel channel;

  AlertRule(String id, String severity, AlertChannel channel) {
    this.id = id;
    this.severity = severity;
    this.channel = channel;
  }

  /** The stable id used in rows, dedup keys, silences and the API. */
  public String id() {
    return id;
  }

  /** critical, high or medium. */
  public String severity() {
    return severity;
  }

  /** The channel this rule is routed to when it is configured. */
  public AlertChannel channel() {
    return channel;
  }

  /** The rule with this id, if any. */
  public static Optional<AlertRule> byId(String id) {
    return Arrays.stream(values()).filter(r -> r.id.equals(id)).findFirst();
  }
}
