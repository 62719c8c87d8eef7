package dev.switchboard.monitoring;

import dev.switchboard.platform.integrations.HealthStatus;

/**
 * Published as a Spring application event each time an integration's status changes (never for
 * repeated checks with the same status). Listeners run on the monitor's single event thread, in
 * order; slow work belongs in a job.
 *
 * @param integrationId the integration's id, e.g. {@code database}
 * @param area the area that owns it
 * @param provider the provider id, e.g. {@code postgresql}
 * @param previous the status before; {@code UNKNOWN} for the first result after startup
 * @param current the new cached result, including detail and {@code since}
 */
public record IntegrationHealthChanged(
    String integrationId,
    String area,
    String provider,
    HealthStatus previous,
    IntegrationHealth current) {

  public HealthStatus status() {
    return current.status();
  }

  /** Whether this change ends an outage: from down or degraded back to up. */
  public boolean recovered() {
    return current.status() == HealthStatus.UP
        && (previous == HealthStatus.DOWN || previous == HealthStatus.DEGRADED);
  }
}
