package dev.switchboard.monitoring;

import dev.switchboard.platform.integrations.HealthStatus;
import java.time.Duration;
import java.time.Instant;

/**
 * The last known health of one integration, as cached by {@link HealthMonitor}.
 *
 * @param status the outcome of the last check; {@code UNKNOWN} until the first check finishes
 * @param detail a short human note from the check, never a secret
 * @param latency how long the last check took (its timeout when it timed out)
 * @param checkedAt when the last check finished, or {@code null} before the first
 * @param since when the status last changed (monitor start while still unknown)
 */
public record IntegrationHealth(
    HealthStatus status, String detail, Duration latency, Instant checkedAt, Instant since) {

  static IntegrationHealth unknown(Instant since) {
    return new IntegrationHealth(
        HealthStatus.UNKNOWN, "not checked yet", Duration.ZERO, null, since);
  }

  public boolean checked() {
    return checkedAt != null;
  }
}
