package dev.switchboard.monitoring;

import dev.switchboard.platform.http.UnhandledErrorListener;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Forwards every 500 (already logged by the platform) to the configured {@link ErrorReporter}. 4xx
 * answers never reach it: they are the caller's mistake, not ours, and would drown real failures.
 */
public class ErrorReportingListener implements UnhandledErrorListener {

  private final ErrorReporter reporter;

  public ErrorReportingListener(ErrorReporter reporter) {
    this.reporter = reporter;
  }

  @Override
  public void onUnhandledError(HttpServletRequest request, Throwable error) {
    reporter.report(error, ErrorContext.of(request));
  }
}
