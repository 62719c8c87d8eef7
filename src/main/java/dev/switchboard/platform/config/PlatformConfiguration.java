package dev.switchboard.platform.config;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.platform.db.DurableCommits;
import dev.switchboard.platform.db.FailFastDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** Reads the configuration once and builds what every area shares: the database and the clock. */
@Configuration(proxyBeanMethods = false)
public class PlatformConfiguration {

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
    hikari.setMaximumPoolSize(10);
    // Short enough that a dead database is reported by the next health check, not after 30 s.
    hikari.setConnectionTimeout(3_000);
    hikari.setValidationTimeout(2_000);
    // While the database is down, requests fail at once (503 database_unavailable) instead of each
    // holding a server thread for the connection timeout.
    return new FailFastDataSource(new HikariDataSource(hikari));
  }
}
