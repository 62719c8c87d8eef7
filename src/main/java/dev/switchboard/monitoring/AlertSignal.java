package dev.switchboard.monitoring;

/**
 * A rule's condition holding for one subject right now.
 *
 * @param rule the rule
 * @param subject what it is about: an integration id, a rate-limit key, a secret's variable, a job
 *     type
 * @param title one line for the page, the Slack message and the status page; never a secret
 * @param detail the numbers behind it, for the dashboard and the message body; never a secret
 */
public record AlertSignal(AlertRule rule, String subject, String title, String detail) {}
