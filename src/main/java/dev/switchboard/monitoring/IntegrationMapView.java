package dev.switchboard.monitoring;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;

/**
 * The body of {@code GET /api/integrations}: the overall status and every integration.
 *
 * @param status up, degraded (something non-essential is down or degraded) or down (an essential
 *     one is down)
 * @param integrations every integration, ordered by area then id
 * @param areas the same integrations grouped by area, for the dashboard
 * @param instances every Switchboard instance on this database (live, stale or recently stopped),
 *     oldest start first
 */
public record IntegrationMapView(
    String status,
    List<IntegrationView> integrations,
    @JsonIgnore List<AreaView> areas,
    List<InstanceView> instances) {

  public IntegrationMapView {
    integrations = List.copyOf(integrations);
    areas = List.copyOf(areas);
    instances = List.copyOf(instances);
  }
}
