package dev.switchboard.monitoring;

import dev.switchboard.platform.config.CoreConfig;
import dev.switchboard.platform.config.DatabaseConfig;
import dev.switchboard.platform.integrations.Integration;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;

/** The {@code database} box of the integration map: the shared H2 or PostgreSQL database. */
final class DatabaseIntegration {

  static final String ID = "database";

  private DatabaseIntegration() {}

  /**
   * Describes the database and its check.
   *
   * @param configured whether {@code DATABASE_URL} was set, as opposed to the embedded H2 default
   */
  static Integration of(CoreConfig core, DataSource dataSource, boolean configured) {
    DatabaseConfig db = core.database();
    boolean h2 = db.kind() == DatabaseConfig.Kind.H2;
    Duration interval = core.healthInterval();
    // A check slower than its interval would overlap the next one; five seconds is plenty for
    // SELECT 1.
    Duration timeout =
        interval.compareTo(Integration.DEFAULT_TIMEOUT) < 0
            ? interval
            : Integration.DEFAULT_TIMEOUT;
    if (timeout.compareTo(Duration.ofSeconds(1)) < 0) {
      timeout = Duration.ofSeconds(1);
    }
    return new Integration(
        ID,
        "platform",
        h2 ? "h2" : "postgresql",
        h2 ? Integration.Mode.EMBEDDED : Integration.Mode.LIVE,
        configured,
        Map.of("DATABASE_URL", db.display()),
        Map.of(),
        new DatabaseHealthCheck(dataSource, timeout),
        interval,
        timeout);
  }
}
