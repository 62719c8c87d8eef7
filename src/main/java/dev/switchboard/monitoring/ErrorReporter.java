package dev.switchboard.monitoring;

import dev.switchboard.platform.integrations.HealthResult;
import java.time.Duration;
import java.util.Map;

/**
 * Where unexpected errors go: Sentry when {@code SENTRY_DSN} is set ({@code monitoring.sentry}),
 * otherwise a local table of error groups ({@link JdbcErrorReporter}). Every 500 reaches it through
 * {@link ErrorReportingListener}; job runners and adapters call it directly. Implementations scrub
 * configured secrets from everything they send or store, and never record cookies, credentials,
 * query strings or bodies.
 */
public interface ErrorReporter {

  /**
   * Reports an unexpected error. Never throws and never fails the caller: a reporter that cannot
   * deliver logs a warning (without the error's message) and drops the report.
   *
   * @param error what was thrown; its message is scrubbed of secrets before it leaves the process
   *     or is stored
   * @param context where it happened; {@link ErrorContext#of} for requests, {@link
   *     ErrorContext#task} for jobs
   */
  void report(Throwable error, ErrorContext context);

  /**
   * Records a breadcrumb on the current thread (typically one per outbound integration call),
   * attached to the next error reported from this thread. Cleared at the start and end of every
   * request. Never throws.
   *
   * @param category a dotted category such as {@code http.stripe} or {@code email.sendgrid}
   * @param message a short human line such as {@code POST /v1/checkout/sessions → 429}; scrubbed of
   *     secrets
   * @param data a few extra values (status, duration); scrubbed of secrets; never put credentials
   *     here
   */
  void breadcrumb(String category, String message, Map<String, String> data);

  /**
   * Waits up to {@code timeout} for reports still in flight to be delivered; returns earlier when
   * nothing is pending. Used at shutdown and by tests.
   */
  void flush(Duration timeout);

  /** The provider id shown on the integration map: {@code sentry} or {@code local}. */
  String provider();

  /** A cheap check that reports can be delivered, without a network round trip to the provider. */
  HealthResult health();
}
