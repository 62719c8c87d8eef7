package dev.switchboard.monitoring;

import java.time.Instant;
import java.util.Optional;

/**
 * While a silence is active no incident opens for what it matches and open ones get no reminders.
 * Recovery notices still go out, so an incident paged before the silence is resolved at PagerDuty
 * too.
 *
 * @param rule the rule it matches; empty matches every rule
 * @param subject the subject it matches; empty matches every subject
 */
public record Silence(
    String id,
    Optional<String> rule,
    Optional<String> subject,
    Instant until,
    String reason,
    Optional<String> createdBy,
    Instant createdAt) {

  public boolean matches(String ruleId, String subjectId, Instant now) {
    return now.isBefore(until)
        && rule.map(ruleId::equals).orElse(true)
        && subject.map(subjectId::equals).orElse(true);
  }
}
