package dev.switchboard.storage;

import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.platform.config.DatabaseConfig;
import dev.switchboard.platform.config.SwitchboardConfig;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;

/**
 * A migrated database of its own for store-level tests: a fresh H2 file, or a fresh PostgreSQL
 * schema.
 */
final class FilesDatabase {

  private FilesDatabase() {}

  static HikariDataSource h2() {
    return open(Map.of("SWITCHBOARD_DATA_DIR", "target/it-data/files-db-" + UUID.randomUUID()));
  }

  static HikariDataSource postgres() {
    return open(
        Map.of(
            "SWITCHBOARD_DATA_DIR",
            "target/it-data/files-db-pg",
            "DATABASE_URL",
            dev.switchboard.testing.PostgresTestDatabase.freshUrl()));
  }

  private static HikariDataSource open(Map<String, String> environment) {
    DatabaseConfig db = SwitchboardConfig.load(environment::get).core().database();
    HikariDataSource dataSource = new HikariDataSource();
    dataSource.setJdbcUrl(db.jdbcUrl());
    dataSource.setMaximumPoolSize(4);
    if (!db.username().isEmpty()) {
      dataSource.setUsername(db.username());
    }
    Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    return dataSource;
  }
}
