package dev.switchboard.analytics;

import dev.switchboard.platform.integrations.HealthCheck;
import dev.switchboard.platform.integrations.HealthResult;
import java.time.Clock;
import java.time.temporal.ChronoUnit;

/**
 * The analytics box: down when the events table cannot be read, degraded when no write key is
 * configured (ingest answers 401 to everything), otherwise up with today's event count.
 */
final class IngestHealthCheck implements HealthCheck {

  private final AnalyticsEventStore store;
  private final WriteKeys keys;
  private final Clock clock;

  IngestHealthCheck(AnalyticsEventStore store, WriteKeys keys, Clock clock) {
    this.store = store;
    this.keys = keys;
    this.clock = clock;
  }

  @Override
  public HealthResult check() {
    long today = store.countSince(clock.instant().truncatedTo(ChronoUnit.DAYS));
    if (!keys.any()) {
      return HealthResult.degraded(
          "no ANALYTICS_KEY: ingest refuses every request; " + today + " events today");
    }
    return HealthResult.up(today + " events today");
  }
}
