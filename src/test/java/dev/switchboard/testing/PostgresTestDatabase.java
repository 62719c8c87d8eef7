package dev.switchboard.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The machine's PostgreSQL (127.0.0.1:5432, trust auth, database {@code test}). Every call to
 * {@link #freshUrl()} creates an empty schema, so test classes (and parallel builds) never see each
 * other's tables or migrations.
 */
public final class PostgresTestDatabase {

  public static final String HOST = System.getProperty("test.postgres.host", "127.0.0.1");
  public static final int PORT = Integer.getInteger("test.postgres.port", 5432);
  public static final String DATABASE = "test";
  public static final String USER = "postgres";

  private PostgresTestDatabase() {}

  /** A {@code DATABASE_URL} in the hosting-platform form, pointing at a new empty schema. */
  public static String freshUrl() {
    String schema = "sb_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    try (Connection c = DriverManager.getConnection(jdbcUrl(), USER, "");
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "PostgreSQL is not reachable at "
              + HOST
              + ":"
              + PORT
              + " (.ci/run starts it; locally: pg_ctlcluster <version> main start)",
          e);
    }
    return "postgresql://"
        + USER
        + "@"
        + HOST
        + ":"
        + PORT
        + "/"
        + DATABASE
        + "?currentSchema="
        + schema;
  }

  public static String jdbcUrl() {
    return "jdbc:postgresql://" + HOST + ":" + PORT + "/" + DATABASE;
  }
}
