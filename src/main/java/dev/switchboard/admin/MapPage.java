package dev.switchboard.admin;

import dev.switchboard.monitoring.AreaView;
import dev.switchboard.monitoring.InstanceView;
import dev.switchboard.monitoring.IntegrationMapView;
import dev.switchboard.monitoring.IntegrationView;
import java.util.List;
import java.util.Map;

/** The integration map as the Mustache template reads it: maps flattened to key/value lists. */
record MapPage(String status, List<Area> areas, List<Node> instances) {

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

  /**
   * One Switchboard instance; {@code flagged} when it stopped reporting.
   *
   * @param self whether it served this page
   */
  record Node(
      String id,
      String version,
      String host,
      long pid,
      String publicUrl,
      String started,
      String lastHeartbeat,
      String state,
      String css,
      boolean flagged,
      boolean self) {}

  static MapPage of(IntegrationMapView view) {
    return new MapPage(
        view.status(),
        view.areas().stream().map(MapPage::area).toList(),
        view.instances().stream().map(MapPage::node).toList());
  }

  private static Node node(InstanceView i) {
    return new Node(
        i.id(),
        i.version(),
        i.host(),
        i.pid(),
        i.publicUrl(),
        i.startedAt().toString(),
        i.lastHeartbeat().toString(),
        i.state(),
        switch (i.state()) {
          case "live" -> "up";
          case "stale" -> "degraded";
          default -> "unknown";
        },
        i.state().equals("stale"),
        i.self());
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
