package dev.switchboard.monitoring;

import dev.switchboard.platform.integrations.HealthStatus;
import dev.switchboard.platform.integrations.Integration;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Prometheus gauges read from the monitor's cache: {@code
 * switchboard_integration_up{integration,provider}} (1 up, 0.5 degraded, 0 down, NaN before the
 * first check) and {@code switchboard_integration_check_latency_seconds}.
 */
class IntegrationMetrics implements MeterBinder {

  private final HealthMonitor monitor;

  IntegrationMetrics(HealthMonitor monitor) {
    this.monitor = monitor;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    for (Integration integration : monitor.integrations()) {
      String id = integration.id();
      Gauge.builder("switchboard.integration.up", monitor, m -> upValue(m.health(id).status()))
          .description("1 when the integration is up, 0.5 degraded, 0 down")
          .tag("integration", id)
          .tag("provider", String.valueOf(integration.provider()))
          .register(registry);
      Gauge.builder(
              "switchboard.integration.check.latency", monitor, m -> latencySeconds(m.health(id)))
          .description("How long the last health check took")
          .baseUnit("seconds")
          .tag("integration", id)
          .tag("provider", String.valueOf(integration.provider()))
          .register(registry);
    }
  }

  static double upValue(HealthStatus status) {
    return switch (status) {
      case UP -> 1.0;
      case DEGRADED -> 0.5;
      case DOWN -> 0.0;
      case UNKNOWN -> Double.NaN;
    };
  }

  static double latencySeconds(IntegrationHealth health) {
    return health.checked() ? health.latency().toNanos() / 1e9 : Double.NaN;
  }
}
