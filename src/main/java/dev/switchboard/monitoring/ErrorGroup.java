package dev.switchboard.monitoring;

import java.time.Instant;
import java.util.List;

/**
 * Every occurrence of one failure, as the dashboard's errors page lists it.
 *
 * @param fingerprint see {@link ErrorFingerprint}
 * @param exceptionType the exception's class name
 * @param message the last occurrence's message, scrubbed of secrets and shortened
 * @param count how many times it happened
 * @param firstSeen the first occurrence
 * @param lastSeen the last occurrence
 * @param lastRequestId the request id of the last occurrence, to find its log lines
 * @param lastMethod the HTTP method of the last occurrence, or {@code TASK}
 * @param lastPath the path (without query string) or task name of the last occurrence
 * @param lastBreadcrumbs the breadcrumbs recorded before the last occurrence
 */
public record ErrorGroup(
    String fingerprint,
    String exceptionType,
    String message,
    long count,
    Instant firstSeen,
    Instant lastSeen,
    String lastRequestId,
    String lastMethod,
    String lastPath,
    List<Breadcrumb> lastBreadcrumbs) {

  public ErrorGroup {
    lastBreadcrumbs = List.copyOf(lastBreadcrumbs);
  }
}
