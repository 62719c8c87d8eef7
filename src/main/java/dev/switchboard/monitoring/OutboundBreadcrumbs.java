package dev.switchboard.monitoring;

import dev.switchboard.platform.outbound.OutboundAttempt;
import dev.switchboard.platform.outbound.OutboundCallListener;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every outbound integration call leaves a breadcrumb, so an error report shows which provider
 * calls led up to it. The attempt carries no headers, bodies or query strings, and the reporter
 * masks secrets again.
 */
class OutboundBreadcrumbs implements OutboundCallListener {

  private final ErrorReporter reporter;

  OutboundBreadcrumbs(ErrorReporter reporter) {
    this.reporter = reporter;
  }

  @Override
  public void onAttempt(OutboundAttempt attempt) {
    Map<String, String> data = new LinkedHashMap<>();
    data.put("integration", attempt.integrationId());
    data.put("url", attempt.host() + attempt.path());
    attempt.status().ifPresent(s -> data.put("status", String.valueOf(s)));
    attempt.failure().ifPresent(f -> data.put("failure", f));
    data.put("duration_ms", String.valueOf(attempt.duration().toMillis()));
    data.put("attempt", String.valueOf(attempt.attempt()));
    String outcome =
        attempt.status().isPresent()
            ? String.valueOf(attempt.status().getAsInt())
            : attempt.failure().orElse("failed");
    reporter.breadcrumb(
        "http", attempt.method() + " " + attempt.host() + attempt.path() + " → " + outcome, data);
  }
}
