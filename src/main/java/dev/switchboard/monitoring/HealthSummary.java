package dev.switchboard.monitoring;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The body of the public {@code GET /api/health}: statuses only, no configuration.
 *
 * @param status up, degraded or down; down exactly when an essential integration (the database) is
 *     down
 * @param integrations integration id to status
 */
public record HealthSummary(String status, Map<String, String> integrations) {

  public HealthSummary {
    integrations = Collections.unmodifiableMap(new LinkedHashMap<>(integrations));
  }

  public boolean down() {
    return "down".equals(status);
  }
}
