package dev.switchboard.admin;

import dev.switchboard.platform.config.ConfigFinding;
import dev.switchboard.platform.config.IntegrationStatus;
import dev.switchboard.platform.readiness.Readiness;
import java.util.List;

/** The status table and production checklist under the map, as the template reads them. */
record ReadinessPage(
    String mode,
    String dashboardUrl,
    String adminKey,
    List<IntegrationStatus> integrations,
    List<Item> checklist,
    boolean ready) {

  /** One checklist line; {@code css} colours it (refused and warnings red/amber, the rest grey). */
  record Item(String kind, String css, String variable, String message) {}

  static ReadinessPage of(Readiness readiness) {
    List<Item> items = readiness.checklist().stream().map(ReadinessPage::item).toList();
    return new ReadinessPage(
        readiness.config().core().mode().id(),
        readiness.dashboardUrl(),
        readiness.adminKeyLocation(),
        readiness.integrations(),
        items,
        items.isEmpty());
  }

  private static Item item(ConfigFinding f) {
    String css =
        switch (f.kind()) {
          case REFUSED_IN_PRODUCTION -> "down";
          case WARNING, UNKNOWN_VARIABLE, MISSING -> "degraded";
          default -> "unknown";
        };
    return new Item(f.kind().label(), css, f.variable(), f.message());
  }
}
