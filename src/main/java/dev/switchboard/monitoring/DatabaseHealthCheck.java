package dev.switchboard.monitoring;

import dev.switchboard.platform.integrations.HealthCheck;
import dev.switchboard.platform.integrations.HealthResult;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@code SELECT 1} through the pool, with a JDBC query timeout so a stalled server does not pin a
 * connection.
 */
final class DatabaseHealthCheck implements HealthCheck {

  private final JdbcClient jdbc;

  DatabaseHealthCheck(DataSource dataSource, Duration timeout) {
    JdbcTemplate template = new JdbcTemplate(dataSource);
    template.setQueryTimeout((int) Math.max(1, timeout.toSeconds()));
    this.jdbc = JdbcClient.create(template);
  }

  @Override
  public HealthResult check() {
    try {
      Integer one = jdbc.sql("SELECT 1").query(Integer.class).single();
      return one != null && one == 1
          ? HealthResult.up("SELECT 1 ok")
          : HealthResult.down("SELECT 1 returned " + one);
    } catch (DataAccessException e) {
      return HealthResult.down(describe(e));
    }
  }

  /** Driver messages can quote hosts, users or URLs; the SQLState says enough to act on. */
  static String describe(DataAccessException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        String state = sql.getSQLState();
        String what =
            state.startsWith("08")
                ? "connection failed"
                : state.equals("57014")
                    ? "query cancelled (timeout)"
                    : state.startsWith("57P") ? "server shutting down" : "query failed";
        return what + " (SQLState " + state + ")";
      }
    }
    Throwable root = e.getMostSpecificCause();
    return "query failed (" + root.getClass().getSimpleName() + ")";
  }
}
