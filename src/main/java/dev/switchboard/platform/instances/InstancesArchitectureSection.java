package dev.switchboard.platform.instances;

import dev.switchboard.platform.config.CoreConfig;
import dev.switchboard.platform.config.DatabaseConfig;
import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.platform.integrations.ArchitectureSection;
import dev.switchboard.platform.integrations.Markdown;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The instances part of the monitoring chapter: how instances find each other (their rows in the
 * database), when one counts as stale, and which settings of this configuration would be flagged
 * with a second instance.
 */
class InstancesArchitectureSection implements ArchitectureSection {

  private final SwitchboardConfig config;

  InstancesArchitectureSection(SwitchboardConfig config) {
    this.config = config;
  }

  @Override
  public int order() {
    return 92;
  }

  /** The monitoring chapter's heading, shared with its other sections. */
  @Override
  public String chapter() {
    return "Monitoring & Alerts";
  }

  @Override
  public List<Check> healthChecks() {
    return List.of(
        new Check(
            InstanceRoster.INSTANCES,
            "heartbeat row (UPDATE instances) and every instance's row",
            config.core().heartbeatInterval()));
  }

  @Override
  public List<Part> parts(Context context) {
    CoreConfig core = config.core();
    Duration interval = core.heartbeatInterval();
    String body =
        "Each running instance keeps a row in the `instances` table of the shared database (id, version, host and "
            + "pid, `SWITCHBOARD_PUBLIC_URL`, database, storage) and refreshes it every "
            + Markdown.duration(interval)
            + " (`SWITCHBOARD_HEARTBEAT_INTERVAL`). `GET /api/integrations` lists every instance with its state "
            + "(`live`, `stale` after "
            + Instance.MISSED_BEATS
            + " missed heartbeats, `stopped` after a clean shutdown); a stale instance degrades the `instances` box. "
            + "Stopped rows are pruned after "
            + Markdown.duration(InstanceRegistry.KEEP_STOPPED)
            + ", stale ones after "
            + Markdown.duration(InstanceRegistry.KEEP_STALE)
            + ". No clustering: the rows are the only channel.\n\n"
            + Markdown.table(
                List.of("With a second live instance", "Flagged on", "This configuration"),
                rows(core))
            + "\nAn instance whose `SWITCHBOARD_AUTH_KEY_SECRET` cannot open the signing keys in the database refuses "
            + "to start.\n";
    return List.of(new Part("Instances", body));
  }

  private List<List<String>> rows(CoreConfig core) {
    boolean h2 = core.database().kind() == DatabaseConfig.Kind.H2;
    String storage = InstancesConfiguration.storageProvider(config);
    boolean local = storage.equals("local");
    List<List<String>> rows = new ArrayList<>();
    rows.add(
        List.of(
            "Uploads in different places (`STORAGE_PROVIDER=local` on different machines or data dirs, "
                + "or different providers)",
            "storage (degraded)",
            local ? "**flagged**: storage is local" : "ok: " + storage));
    rows.add(
        List.of(
            "H2 database shared by several instances",
            "database (degraded)",
            h2 ? "**flagged**: the database is H2" : "ok: PostgreSQL"));
    rows.add(
        List.of(
            "Different `SWITCHBOARD_PUBLIC_URL` values (tokens from one are 401 on the others)",
            "instances (degraded)",
            "this instance: " + core.publicUrl()));
    rows.add(
        List.of(
            "An instance missed " + Instance.MISSED_BEATS + " heartbeats",
            "instances (degraded)",
            "-"));
    return rows;
  }
}
