package dev.switchboard.monitoring;

import dev.switchboard.platform.integrations.HealthStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * Actuator's view of the monitor's cache (contributor {@code integrations}, part of the readiness
 * group): DOWN while an essential integration is down, so the instance leaves the load balancer; a
 * third-party outage alone keeps it UP. Reads only the cache, so {@code /actuator/health} never
 * waits on a dependency.
 */
class IntegrationsHealthIndicator implements HealthIndicator {

  private final HealthMonitor monitor;

  IntegrationsHealthIndicator(HealthMonitor monitor) {
    this.monitor = monitor;
  }

  @Override
  public Health health() {
    Status status = Status.UP;
    Map<String, Object> details = new LinkedHashMap<>();
    for (Map.Entry<String, IntegrationHealth> e : monitor.results().entrySet()) {
      HealthStatus current = e.getValue().status();
      details.put(e.getKey(), current.id());
      if (!monitor.isEssential(e.getKey())) {
        continue;
      }
      if (current == HealthStatus.DOWN) {
        status = Status.DOWN;
      } else if (current == HealthStatus.UNKNOWN && status == Status.UP) {
        // Not checked yet: not ready to take traffic, but not known to be broken either.
        status = Status.OUT_OF_SERVICE;
      }
    }
    return Health.status(status).withDetails(details).build();
  }
}
