package dev.switchboard.monitoring;

import dev.switchboard.platform.config.DatabaseConfig;
import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.platform.integrations.ArchitectureSection;
import dev.switchboard.platform.integrations.Integration;
import dev.switchboard.platform.integrations.Markdown;
import java.util.ArrayList;
import java.util.List;

/**
 * Chapter 9.1 of the architecture document: every health check the areas declared, with its
 * interval.
 */
class HealthArchitectureSection implements ArchitectureSection {

  static final String CHAPTER = "Monitoring & Alerts";

  private final SwitchboardConfig config;

  HealthArchitectureSection(SwitchboardConfig config) {
    this.config = config;
  }

  @Override
  public int order() {
    return 90;
  }

  @Override
  public String chapter() {
    return CHAPTER;
  }

  @Override
  public List<Check> healthChecks() {
    List<Check> checks = new ArrayList<>();
    boolean h2 = config.core().database().kind() == DatabaseConfig.Kind.H2;
    checks.add(
        new Check(
            "database",
            "SELECT 1 (" + (h2 ? "H2" : "PostgreSQL") + ")",
            config.core().healthInterval()));
    config
        .core()
        .redisUrl()
        .ifPresent(r -> checks.add(new Check("redis", "PING", config.core().healthInterval())));
    checks.add(new Check("jobs", "oldest queued job's wait", Integration.DEFAULT_INTERVAL));
    return checks;
  }

  @Override
  public List<Part> parts(Context context) {
    // The platform's own checks (database, Redis, jobs) first, as in the seed's table.
    List<Check> own = healthChecks();
    List<Check> all = new ArrayList<>(own);
    context.healthChecks().stream().filter(c -> !own.contains(c)).forEach(all::add);
    List<List<String>> rows =
        all.stream()
            .map(c -> List.of(c.integration(), c.endpoint(), Markdown.duration(c.interval())))
            .toList();
    String body =
        Markdown.table(List.of("Integration", "Health Endpoint", "Interval"), rows)
            + "\n"
            + "Results are cached and served by `GET /api/health` (public, statuses only), `GET /api/integrations` "
            + "(admin), `/actuator/health/readiness` (down while the database is down) and `/actuator/prometheus` "
            + "(`switchboard_integration_up`). The built-in checks follow `SWITCHBOARD_HEALTH_INTERVAL` ("
            + Markdown.duration(config.core().healthInterval())
            + ").\n";
    return List.of(new Part("Health Checks", body));
  }
}
