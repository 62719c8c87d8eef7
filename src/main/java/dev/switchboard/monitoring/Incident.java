package dev.switchboard.monitoring;

import java.time.Instant;
import java.util.Optional;

/**
 * One incident: a rule firing for a subject, from the first trigger to its recovery.
 *
 * @param id the incident id ({@code inc_…})
 * @param rule the rule id
 * @param subject what it is about
 * @param severity critical, high or medium
 * @param title one line, no secrets
 * @param detail the numbers when it opened
 * @param dedupKey {@code switchboard/<env>/<rule>/<subject>}: PagerDuty's dedup_key, stable across
 *     restarts
 * @param openedAt when it opened
 * @param resolvedAt when it was resolved; empty while open
 * @param acknowledgedAt when someone acknowledged it; acknowledged incidents get no reminders
 * @param acknowledgedBy who acknowledged it
 * @param remindersSent reminders sent so far
 * @param lastNotifiedAt when the trigger or the last reminder was queued
 */
public record Incident(
    String id,
    String rule,
    String subject,
    String severity,
    String title,
    String detail,
    String dedupKey,
    Instant openedAt,
    Optional<Instant> resolvedAt,
    Optional<Instant> acknowledgedAt,
    Optional<String> acknowledgedBy,
    int remindersSent,
    Instant lastNotifiedAt) {

  public boolean open() {
    return resolvedAt.isEmpty();
  }

  /** open, acknowledged or resolved. */
  public String state() {
    return resolvedAt.isPresent()
        ? "resolved"
        : acknowledgedAt.isPresent() ? "acknowledged" : "open";
  }
}
