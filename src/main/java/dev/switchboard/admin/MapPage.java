package dev.switchboard.admin;

import dev.switchboard.monitoring.AreaView;
import dev.switchboard.monitoring.IntegrationMapView;
import dev.switchboard.monitoring.IntegrationView;
import java.util.List;
import java.util.Map;

/** The integration map as the Mustache template reads it: maps flattened to key/value lists. */
record MapPage(String status, List<Area> areas) {

  record Area(String name, String status, List<Box> integrations) {}

  record Box(
      String id,
      String provider,
      String mode,
      boolean configured,
      String status,
      String detail,
      Long latencyMs,
      List<Entry> config,
      List<Entry> rateLimits) {}

  record Entry(String key, String value) {}

  static MapPage of(IntegrationMapView view) {
    return new MapPage(view.status(), view.areas().stream().map(MapPage::area).toList());
  }

  private static Area area(AreaView area) {
    return new Area(
        area.area(), area.status(), area.integrations().stream().map(MapPage::box).toList());
  }

  private static Box box(IntegrationView i) {
    return new Box(
        i.id(),
        i.provider(),
        i.mode(),
        i.configured(),
        i.health().status(),
        i.health().detail(),
        i.health().latencyMs(),
        entries(i.config()),
        entries(i.rateLimits()));
  }

  private static List<Entry> entries(Map<String, String> map) {
    return map.entrySet().stream().map(e -> new Entry(e.getKey(), e.getValue())).toList();
  }
}
