package dev.switchboard.monitoring;

import java.time.Instant;
import java.util.List;

/**
 * One failure to add to its group, already fingerprinted and scrubbed.
 *
 * @param fingerprint the group key
 * @param exceptionType the exception's class name
 * @param message the scrubbed, shortened message
 * @param at when it happened
 * @param context where it happened
 * @param breadcrumbs what happened before, on the same thread
 */
public record ErrorOccurrence(
    String fingerprint,
    String exceptionType,
    String message,
    Instant at,
    ErrorContext context,
    List<Breadcrumb> breadcrumbs) {

  public ErrorOccurrence {
    breadcrumbs = List.copyOf(breadcrumbs);
  }
}
