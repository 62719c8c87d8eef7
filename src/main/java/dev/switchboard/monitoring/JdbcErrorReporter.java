package dev.switchboard.monitoring;

import dev.switchboard.platform.config.SecretScrubber;
import dev.switchboard.platform.integrations.HealthResult;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local reporter used when {@code SENTRY_DSN} is not set: groups errors by {@link ErrorFingerprint} in the
 * {@code error_groups} table, which the dashboard's errors page reads through {@code GET /api/errors}. Writes are
 * synchronous (one short UPDATE or INSERT) and never fail the request being answered.
 */
public class JdbcErrorReporter implements ErrorReporter {

  private static final Logger log = LoggerFactory.getLogger(JdbcErrorReporter.class);

  private final ErrorStore store;
  private final SecretScrubber scrubber;
  private final BreadcrumbTrail trail;
  private final Clock clock;

  public JdbcErrorReporter(ErrorStore store, SecretScrubber scrubber, BreadcrumbTrail trail, Clock clock) {
    this.store = store;
    this.scrubber = scrubber;
    this.trail = trail;
    this.clock = clock;
  }

  @Override
  public void report(Throwable error, ErrorContext context) {
    try {
      store.record(new ErrorOccurrence(ErrorFingerprint.of(error), ErrorMessages.type(error),
          ErrorMessages.shortMessage(error, scrubber), clock.instant(), context, trail.snapshot()));
    } catch (RuntimeException e) {
      // Only the class: a driver's message may quote the values we tried to write.
      log.warn("Could not store error report for request {} ({})", context.requestId(), e.getClass().getName());
    }
  }

  @Override
  public void breadcrumb(String category, String message, Map<String, String> data) {
    trail.add(category, message, data);
  }

  @Override
  public void flush(Duration timeout) {
    // Reports are written synchronously; nothing is ever in flight.
  }

  @Override
  public String provider() {
    return "local";
  }

  @Override
  public HealthResult health() {
    return HealthResult.up(store.count() + " error groups");
  }
}
