package dev.switchboard.monitoring;

/**
 * Published after every health check (not only on changes, unlike {@link
 * IntegrationHealthChanged}): alert rules count consecutive results and the status page's history
 * counts checks per day. Listeners run on the monitor's event thread; keep them fast.
 *
 * @param integrationId the integration checked
 * @param health the new cached result
 */
public record IntegrationChecked(String integrationId, IntegrationHealth health) {}
