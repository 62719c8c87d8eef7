package dev.switchboard.platform.readiness;

import dev.switchboard.platform.apikeys.DevApiKey;
import dev.switchboard.platform.config.ConfigFinding;
import dev.switchboard.platform.config.ConfigFinding.Kind;
import dev.switchboard.platform.config.CoreConfig;
import dev.switchboard.platform.config.DatabaseConfig;
import dev.switchboard.platform.config.IntegrationStatus;
import dev.switchboard.platform.config.KnownVariables;
import dev.switchboard.platform.config.ProductionSafety;
import dev.switchboard.platform.config.SwitchboardConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What runs where, and what is not ready for production yet, from the configuration alone: the
 * table of {@code switchboard status} and the readiness checklist on the dashboard's map. The same
 * findings are logged at startup (see {@link StartupReadiness}).
 */
public final class Readiness {

  private final SwitchboardConfig config;
  private final Collection<String> setVariables;

  /**
   * @param setVariables names of the environment variables that are set, to find misspelled ones
   */
  public Readiness(SwitchboardConfig config, Collection<String> setVariables) {
    this.config = config;
    this.setVariables = List.copyOf(setVariables);
  }

  public SwitchboardConfig config() {
    return config;
  }

  /**
   * Every integration with its provider, mode and what to set to make it live, in the map's order:
   * the core's rows, then each area's.
   */
  public List<IntegrationStatus> integrations() {
    List<IntegrationStatus> rows = new ArrayList<>(coreRows());
    config.areaStatus().forEach(s -> rows.add(s.row()));
    return rows;
  }

  private List<IntegrationStatus> coreRows() {
    CoreConfig core = config.core();
    boolean h2 = core.database().kind() == DatabaseConfig.Kind.H2;
    return List.of(
        h2
            ? row("database", "h2", "embedded", "DATABASE_URL=postgresql://user:pass@host:5432/db")
            : row("database", "postgresql", "live", ""),
        core.redisUrl().isEmpty()
            ? row(
                "rate limits",
                "in-memory",
                "embedded",
                "REDIS_URL=redis://host:6379 (shared by every instance)")
            : row("rate limits", "redis", "live", ""));
  }

  /**
   * The production readiness checklist: unsafe settings first (refused, then warnings), misspelled
   * variables, missing settings, dev stand-ins, then embedded single-box defaults.
   */
  public List<ConfigFinding> checklist() {
    CoreConfig core = config.core();
    List<ConfigFinding> items = new ArrayList<>(ProductionSafety.findings(config));
    KnownVariables.unknown(setVariables)
        .forEach(
            w ->
                items.add(
                    new ConfigFinding(
                        Kind.UNKNOWN_VARIABLE,
                        w.substring(0, w.indexOf(' ')),
                        w.substring(w.indexOf(' ') + 1))));
    if (core.production() && core.adminApiKey().isEmpty()) {
      items.add(
          new ConfigFinding(
              Kind.MISSING,
              "SWITCHBOARD_ADMIN_API_KEY",
              "no admin key is set and production "
                  + "generates none; set it, or create one with `java -jar switchboard.jar keys create --name admin --scopes admin`"));
    }
    for (IntegrationStatus row : coreRows()) {
      standIn(row, embedded(row)).ifPresent(items::add);
    }
    for (SwitchboardConfig.AreaStatus status : config.areaStatus()) {
      standIn(status.row(), status.embedded()).ifPresent(items::add);
    }
    // The areas' own lines; their unsafe settings are already in from ProductionSafety.
    for (ConfigFinding f : config.areaFindings()) {
      if (f.kind() != Kind.REFUSED_IN_PRODUCTION && f.kind() != Kind.WARNING) {
        items.add(f);
      }
    }
    items.sort(Comparator.comparing(ConfigFinding::kind));
    return items;
  }

  /**
   * A dev stand-in or an embedded default as a checklist line; live, test and off rows give none
   * (an OAuth provider or PayPal left out is a choice).
   */
  private static Optional<ConfigFinding> standIn(IntegrationStatus row, String embedded) {
    String variable = row.toGoLive().split("[ =,]")[0];
    return switch (row.mode()) {
      case "dev" ->
          Optional.of(
              new ConfigFinding(
                  Kind.DEV_DEFAULT,
                  variable,
                  row.integration()
                      + " runs on the "
                      + row.provider()
                      + ", which delivers nothing real; set "
                      + row.toGoLive()));
      case "embedded" -> Optional.of(new ConfigFinding(Kind.EMBEDDED, variable, embedded));
      default -> Optional.empty();
    };
  }

  /** What a single box means for each of the core's embedded defaults. */
  private String embedded(IntegrationStatus row) {
    Path data = config.core().dataDir();
    return switch (row.integration()) {
      case "database" ->
          "H2 file database in "
              + data.resolve("db")
              + ": one instance only (one process holds the "
              + "file); back up "
              + data
              + " (stop the server or copy while idle), or set "
              + row.toGoLive();
      case "rate limits" ->
          "limits are counted per instance; fine on one box, set "
              + row.toGoLive()
              + " before running several";
      default -> row.integration() + " runs embedded; set " + row.toGoLive();
    };
  }

  /** Where the admin key that opens the dashboard is, for the status table. */
  public String adminKeyLocation() {
    CoreConfig core = config.core();
    if (core.adminApiKey().isPresent()) {
      return "SWITCHBOARD_ADMIN_API_KEY (" + core.adminApiKey().get().masked() + ")";
    }
    Path file = core.dataDir().resolve(DevApiKey.FILE_NAME);
    if (core.production()) {
      return "none: production generates no key; set SWITCHBOARD_ADMIN_API_KEY or run `keys create`";
    }
    return Files.isRegularFile(file)
        ? file + " (cat it to sign in)"
        : file + " (written on the first start)";
  }

  public String dashboardUrl() {
    return config.core().publicUrl() + "/admin";
  }

  private static IntegrationStatus row(
      String integration, String provider, String mode, String toGoLive) {
    return new IntegrationStatus(integration, provider, mode, toGoLive);
  }
}
