package dev.switchboard.platform.config;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import dev.switchboard.platform.db.DurableCommits;
import dev.switchboard.platform.db.FailFastDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** Reads the configuration once and builds what every area shares: the database and the clock. */
@Import({ReadyAnnouncer.class})
@Configuration(proxyBeanMethods = false)
public class PlatformConfiguration {

  /** {@code org.h2.api.ErrorCode.DATABASE_ALREADY_OPEN_1}. */
  static final int H2_DATABASE_ALREADY_OPEN = 90020;

  @Bean
  SwitchboardConfig switchboardConfig(ConfigurableEnvironment environment) {
    SwitchboardConfig config =
        SwitchboardConfig.load(name -> EnvironmentVariables.get(environment, name));
    try {
      Files.createDirectories(config.core().dataDir());
    } catch (IOException e) {
      throw new InvalidConfigurationException(
          List.of(
              "SWITCHBOARD_DATA_DIR: cannot create directory '"
                  + config.core().dataDir()
                  + "' ("
                  + e.getMessage()
                  + ")"));
    }
    return config;
  }

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  @Bean(destroyMethod = "close")
  public DataSource dataSource(SwitchboardConfig config) {
    DatabaseConfig db = config.core().database();
    if (db.kind() == DatabaseConfig.Kind.H2) {
      try {
        Files.createDirectories(config.core().dataDir().resolve("db"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    HikariConfig hikari = new HikariConfig();
    hikari.setPoolName("switchboard");
    if (db.kind() == DatabaseConfig.Kind.H2) {
      // A commit on H2 reaches its file before commit() returns, as on PostgreSQL
      // (platform/db/DurableCommits).
      hikari.setDataSource(
          new DurableCommits(
              new DriverManagerDataSource(
                  db.jdbcUrl(), db.username(), db.password().map(Secret::reveal).orElse(""))));
    } else {
      hikari.setJdbcUrl(db.jdbcUrl());
      if (!db.username().isEmpty()) {
        hikari.setUsername(db.username());
      }
      db.password().ifPresent(p -> hikari.setPassword(p.reveal()));
    }
    hikari.setMaximumPoolSize(config.core().databasePoolSize());
    // Short enough that a dead database is reported by the next health check, not after 30 s.
    hikari.setConnectionTimeout(3_000);
    hikari.setValidationTimeout(2_000);
    try {
      // While the database is down, requests fail at once (503 database_unavailable) instead of
      // each
      // holding a server thread for the connection timeout.
      return new FailFastDataSource(new HikariDataSource(hikari));
    } catch (HikariPool.PoolInitializationException e) {
      if (db.kind() == DatabaseConfig.Kind.H2 && h2FileInUse(e)) {
        throw new InvalidConfigurationException(List.of(h2InUse(config)), e);
      }
      throw e;
    }
  }

  /**
   * H2's error 90020 (DATABASE_ALREADY_OPEN): another process holds the file lock of the database,
   * typically a second Switchboard started on the same data dir.
   */
  static boolean h2FileInUse(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && sql.getErrorCode() == H2_DATABASE_ALREADY_OPEN) {
        return true;
      }
    }
    return false;
  }

  static String h2InUse(SwitchboardConfig config) {
    DatabaseConfig db = config.core().database();
    boolean defaultFile = db.jdbcUrl().startsWith("jdbc:h2:file:" + config.core().dataDir());
    String where =
        defaultFile
            ? "SWITCHBOARD_DATA_DIR: the embedded H2 database in "
                + config.core().dataDir().resolve("db")
            : "DATABASE_URL: the H2 database " + db.display();
    return where
        + " is open in another process (another Switchboard on the same data dir?); H2 lets one"
        + " process hold its file. Stop the other process or give this one its own"
        + " SWITCHBOARD_DATA_DIR; to run several instances on one database, set"
        + " DATABASE_URL=postgresql://user:pass@host:5432/db on each";
  }

  @Bean
  SecretScrubber secretScrubber(SwitchboardConfig config) {
    return new SecretScrubber(config);
  }
}
