package dev.switchboard.platform.db;

import dev.switchboard.platform.outage.Outage;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.function.LongSupplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * Fails at once, instead of after the pool's connection timeout, while the database is known to be
 * unreachable. Without it every request of an outage holds a server thread for the whole timeout (3
 * s), so a few hundred requests a second exhaust the thread pool and even the health endpoints stop
 * answering.
 *
 * <p>After a connect failure that says the server is gone ({@link DatabaseFailures#unreachable}),
 * callers get {@link SQLTransientConnectionException} (SQL state {@code 08001}) without waiting;
 * every {@link #PROBE_EVERY} one caller goes through to the pool and tries for real, and the first
 * connection that arrives ends the outage for everyone. The outage is logged once when it starts
 * and once when it ends, not per request. A pool that is merely busy (a timeout with no connect
 * failure behind it) is not an outage: each caller keeps waiting its turn.
 */
public final class FailFastDataSource extends DelegatingDataSource implements AutoCloseable {

  static final Duration PROBE_EVERY = Duration.ofSeconds(1);
  private static final Logger log = LoggerFactory.getLogger(FailFastDataSource.class);

  private final Outage outage;

  public FailFastDataSource(DataSource pool) {
    this(pool, System::nanoTime);
  }

  FailFastDataSource(DataSource pool, LongSupplier nanoTime) {
    super(pool);
    this.outage = new Outage(PROBE_EVERY, nanoTime);
  }

  @Override
  public Connection getConnection() throws SQLException {
    return connect(super::getConnection);
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return connect(() -> super.getConnection(username, password));
  }

  private interface Connect {
    Connection open() throws SQLException;
  }

  private Connection connect(Connect pool) throws SQLException {
    boolean probe = enter();
    try {
      Connection connection = pool.open();
      up();
      return connection;
    } catch (SQLException | RuntimeException e) {
      failed(e);
      throw e;
    } finally {
      if (probe) {
        outage.probeDone();
      }
    }
  }

  /** Whether connections are being refused at once because the database was unreachable. */
  public boolean failingFast() {
    return outage.down();
  }

  /**
   * Lets the caller through when the database is not known to be down, or when it is this caller's
   * turn to probe; otherwise fails at once.
   *
   * @return whether this caller is the probe (and must clear the flag)
   */
  private boolean enter() throws SQLException {
    return switch (outage.route()) {
      case THROUGH -> false;
      case PROBE -> true;
      case SKIP ->
          throw new SQLTransientConnectionException(
              "database unreachable for "
                  + outage.downFor().toSeconds()
                  + " s; failing fast until a probe connects",
              "08001");
    };
  }

  private void up() {
    outage
        .recovered()
        .ifPresent(
            lasted ->
                log.info(
                    "Database reachable again after {} s; connections are handed out as usual",
                    lasted.toSeconds()));
  }

  private void failed(Exception e) {
    if (DatabaseFailures.unreachable(e) && outage.failed()) {
      // The class and SQL state only: a driver's message may quote the URL it was given.
      log.warn(
          "Database unreachable ({}); requests that need it are answered 503"
              + " database_unavailable without waiting, and one connection attempt is made every"
              + " {} ms until it is back",
          describe(e),
          PROBE_EVERY.toMillis());
    }
  }

  private static String describe(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        return t.getClass().getSimpleName() + ", SQL state " + sql.getSQLState();
      }
    }
    return e.getClass().getSimpleName();
  }

  @Override
  public void close() throws Exception {
    if (getTargetDataSource() instanceof AutoCloseable closeable) {
      closeable.close();
    }
  }
}
