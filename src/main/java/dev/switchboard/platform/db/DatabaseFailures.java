package dev.switchboard.platform.db;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * Tells a database that is unreachable (stopped, restarting, network cut, pool starved) from a
 * statement the database refused (constraint, syntax): the first is worth retrying in a moment and
 * is answered 503 {@code database_unavailable}; the second is a bug or a conflict.
 *
 * <p>Read from the exception chain, since each layer wraps it: Spring's translation, Hikari's
 * timeout (which carries the last connect failure and its SQL state), the PostgreSQL driver.
 */
public final class DatabaseFailures {

  /**
   * PostgreSQL states of a server going away or not taking connections yet: {@code 57P01}
   * admin_shutdown ({@code pg_ctl stop -m fast}), {@code 57P02} crash_shutdown, {@code 57P03}
   * cannot_connect_now (starting up or shutting down). Class {@code 08} (connection exception) is
   * matched by prefix.
   */
  private static final Set<String> SERVER_GONE = Set.of("57P01", "57P02", "57P03");

  private DatabaseFailures() {}

  /**
   * Whether {@code failure} means the database could not be reached or had no connection to spare,
   * so the same work may succeed in a few seconds.
   */
  public static boolean unavailable(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof TransactionSystemException rollback
          && rollback.getApplicationException() != null
          && unavailable(rollback.getApplicationException())) {
        // The statement failed because the server went away, then so did the rollback: the
        // rollback's failure replaces the statement's, which says why.
        return true;
      }
      if (t instanceof TransactionSystemException rollback
          && rollback.getApplicationException() == null
          && rollback.getCause() instanceof SQLException
          && String.valueOf(rollback.getMessage()).contains("rollback")) {
        // A commit failed and then its rollback did too ("Commit exception overridden by rollback
        // exception"): Spring keeps only the rollback's failure, and a rollback only fails when the
        // connection is gone (Hikari: "Connection is closed", no SQL state).
        return true;
      }
      if (t instanceof CannotGetJdbcConnectionException
          || t instanceof SQLTransientConnectionException
          || t instanceof SQLNonTransientConnectionException
          || t instanceof SQLRecoverableException
          || t instanceof ConnectException
          || connectionState(t)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether {@code failure} says the server itself is gone (refused, reset, shutting down, starting
   * up), as opposed to a pool that ran out of connections under load.
   */
  public static boolean unreachable(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ConnectException
          || t instanceof SQLNonTransientConnectionException
          || connectionState(t)) {
        return true;
      }
    }
    return false;
  }

  private static boolean connectionState(Throwable t) {
    if (!(t instanceof SQLException sql) || sql.getSQLState() == null) {
      return false;
    }
    String state = sql.getSQLState();
    return state.startsWith("08") || SERVER_GONE.contains(state);
  }
}
