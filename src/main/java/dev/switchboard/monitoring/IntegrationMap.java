package dev.switchboard.monitoring;

import dev.switchboard.platform.instances.InstanceRegistry;
import dev.switchboard.platform.integrations.HealthStatus;
import dev.switchboard.platform.integrations.Integration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Builds the integration map from the monitor's cache: what the API returns and the dashboard
 * draws.
 */
public class IntegrationMap {

  /** Areas in the order of the architecture drawing; others follow alphabetically. */
  static final List<String> AREA_ORDER =
      List.of("platform", "auth", "email", "payments", "storage", "analytics", "monitoring");

  private final HealthMonitor monitor;
  private final InstanceRegistry instances;

  public IntegrationMap(HealthMonitor monitor, InstanceRegistry instances) {
    this.monitor = monitor;
    this.instances = instances;
  }

  /**
   * Every integration with its cached health, the overall status, the same boxes grouped by area,
   * and every instance on the database.
   */
  public IntegrationMapView snapshot() {
    Map<String, IntegrationHealth> results = monitor.results();
    List<IntegrationView> views =
        monitor.integrations().stream()
            .sorted(
                Comparator.comparing((Integration i) -> areaRank(i.area()))
                    .thenComparing(i -> String.valueOf(i.area()))
                    .thenComparing(Integration::id))
            .map(i -> IntegrationView.of(i, results.get(i.id())))
            .toList();
    Map<String, List<IntegrationView>> byArea = new LinkedHashMap<>();
    for (IntegrationView view : views) {
      byArea.computeIfAbsent(view.area(), a -> new ArrayList<>()).add(view);
    }
    List<AreaView> areas =
        byArea.entrySet().stream()
            .map(e -> new AreaView(e.getKey(), worst(e.getValue()), e.getValue()))
            .toList();
    List<InstanceView> members =
        instances.roster().members().stream().map(InstanceView::of).toList();
    return new IntegrationMapView(
        overall(results, monitor::isEssential).id(), views, areas, members);
  }

  /** Statuses only, for the public health endpoint. */
  public HealthSummary summary() {
    Map<String, IntegrationHealth> results = monitor.results();
    Map<String, String> statuses = new LinkedHashMap<>();
    results.forEach((id, health) -> statuses.put(id, health.status().id()));
    return new HealthSummary(overall(results, monitor::isEssential).id(), statuses);
  }

  /**
   * Down when an essential integration is down; degraded when any integration is down or degraded;
   * else up. Integrations not checked yet do not lower the status.
   */
  static HealthStatus overall(Map<String, IntegrationHealth> results, Predicate<String> essential) {
    boolean degraded = false;
    for (Map.Entry<String, IntegrationHealth> e : results.entrySet()) {
      HealthStatus status = e.getValue().status();
      if (status == HealthStatus.DOWN && essential.test(e.getKey())) {
        return HealthStatus.DOWN;
      }
      degraded |= status == HealthStatus.DOWN || status == HealthStatus.DEGRADED;
    }
    return degraded ? HealthStatus.DEGRADED : HealthStatus.UP;
  }

  private static String worst(List<IntegrationView> views) {
    HealthStatus worst = null;
    for (IntegrationView view : views) {
      HealthStatus status = HealthStatus.valueOf(view.health().status().toUpperCase(Locale.ROOT));
      if (status != HealthStatus.UNKNOWN && (worst == null || status.ordinal() > worst.ordinal())) {
        worst = status;
      }
    }
    return (worst == null ? HealthStatus.UNKNOWN : worst).id();
  }

  private static int areaRank(String area) {
    int rank = AREA_ORDER.indexOf(area);
    return rank >= 0 ? rank : AREA_ORDER.size();
  }
}
