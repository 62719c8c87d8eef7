package dev.switchboard.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The machine's PostgreSQL (127.0.0.1:5432, trust auth, database {@code test}). Every call to
 * {@link #freshUrl()} creates an empty schema, so test classes (and parallel builds) never see each
 * other's tables or migrations. The schemas a test JVM created are dropped when it exits.
 */
public final class PostgresTestDatabase {

  public static final String HOST = System.getProperty("test.postgres.host", "127.0.0.1");
  public static final int PORT = Integer.getInteger("test.postgres.port", 5432);
  public static final String DATABASE = "test";
  public static final String USER = "postgres";

  private static final Queue<String> CREATED = new ConcurrentLinkedQueue<>();

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(PostgresTestDatabase::dropCreated, "drop-test-schemas"));
  }

  private PostgresTestDatabase() {}

  /** A {@code DATABASE_URL} in the hosting-platform form, pointing at a new empty schema. */
  public static String freshUrl() {
    String schema = "sb_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    try (Connection c = DriverManager.getConnection(jdbcUrl(), USER, "");
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
      CREATED.add(schema);
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

  /**
   * One statement per schema (a single {@code DROP} of them all would take a lock per table of
   * every schema in one transaction). A schema still locked by a process the test left running is
   * kept rather than waited for.
   */
  private static void dropCreated() {
    if (CREATED.isEmpty()) {
      return;
    }
    try (Connection c = DriverManager.getConnection(jdbcUrl() + "?connectTimeout=2", USER, "");
        Statement s = c.createStatement()) {
      s.execute("SET lock_timeout = '2s'");
      for (String schema : CREATED) {
        try {
          s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (SQLException locked) {
          // Left for a later clean-up; the next schema may be free.
        }
      }
    } catch (SQLException unreachable) {
      // The database went away first: nothing to drop from here.
    }
  }

  /** {@link #freshUrl()} as a JDBC URL, for a pool or Flyway of the test's own. */
  public static String freshJdbcUrl() {
    String url = freshUrl();
    return "jdbc:postgresql://" + url.substring(url.indexOf('@') + 1);
  }

  public static String jdbcUrl() {
    return "jdbc:postgresql://" + HOST + ":" + PORT + "/" + DATABASE;
  }

  /**
   * Rows of {@code table} in the connection's schema read so far, by sequential scans and through
   * indexes, from the server's statistics (this backend's counts flushed first): the difference
   * across one statement is what it read.
   */
  public static long rowsRead(JdbcClient connection, String table) {
    connection.sql("SELECT pg_stat_force_next_flush()").query(String.class).single();
    return connection
        .sql(
            "SELECT COALESCE(seq_tup_read, 0) + COALESCE(idx_tup_fetch, 0) FROM pg_stat_user_tables"
                + " WHERE relname = ? AND schemaname = current_schema()")
        .param(table)
        .query(Long.class)
        .single();
  }
}
