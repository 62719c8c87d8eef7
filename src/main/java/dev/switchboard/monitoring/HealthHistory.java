package dev.switchboard.monitoring;

import dev.switchboard.platform.integrations.HealthStatus;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;

/**
 * Counts every health check per integration and UTC day ({@code health_daily}), the history the
 * status page's 90-day bars are drawn from. Degraded counts as up (the service answered); unknown
 * is not counted. A check that cannot be recorded (the database is down) is dropped: the status
 * page then shows fewer checks that day, not a wrong share.
 */
public final class HealthHistory {

  private static final Logger log = LoggerFactory.getLogger(HealthHistory.class);

  private final AlertStore store;

  public HealthHistory(AlertStore store) {
    this.store = store;
  }

  @EventListener
  public void onCheck(IntegrationChecked checked) {
    IntegrationHealth health = checked.health();
    if (health.status() == HealthStatus.UNKNOWN || health.checkedAt() == null) {
      return;
    }
    try {
      store.recordCheck(
          checked.integrationId(),
          LocalDate.ofInstant(health.checkedAt(), ZoneOffset.UTC),
          health.status() != HealthStatus.DOWN);
    } catch (RuntimeException e) {
      log.debug(
          "Health check of {} not added to the history: {}", checked.integrationId(), e.toString());
    }
  }
}
