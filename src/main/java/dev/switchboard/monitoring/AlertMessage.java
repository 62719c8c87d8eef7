package dev.switchboard.monitoring;

import java.time.Instant;

/**
 * What a channel sends: stored as the {@code alert.notify} job's payload, so it holds no secret.
 *
 * @param action trigger, reminder, resolve or test
 * @param rule the rule id ({@code test} for a test alert)
 * @param subject the subject
 * @param severity critical, high, medium or info
 * @param title one line
 * @param detail the numbers behind it
 * @param dedupKey PagerDuty's dedup_key: {@code switchboard/<env>/<rule>/<subject>}
 * @param environment development or production
 * @param at when the event happened
 * @param reminder the reminder's number, 0 for the trigger
 */
public record AlertMessage(
    String action,
    String rule,
    String subject,
    String severity,
    String title,
    String detail,
    String dedupKey,
    String environment,
    Instant at,
    int reminder) {

  public static final String TRIGGER = "trigger";
  public static final String REMINDER = "reminder";
  public static final String RESOLVE = "resolve";
  public static final String TEST = "test";

  public boolean resolves() {
    return RESOLVE.equals(action);
  }

  /** The first line every channel shows. */
  public String headline() {
    return switch (action) {
      case RESOLVE -> "[resolved] " + title;
      case REMINDER -> "[still " + severity + ", reminder " + reminder + "] " + title;
      case TEST -> "[test] " + title;
      default -> "[" + severity + "] " + title;
    };
  }
}
