package dev.switchboard.platform.db;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.postgresql.PGStatement;

/**
 * Statements that PostgreSQL plans for the values of each run. pgjdbc turns a statement run five
 * times on one connection into a server-prepared one, and the server may then keep one generic plan
 * for it, made without the values and with the table's size at that time. For a join of a parameter
 * array to a table (ids as {@code unnest(?)}), the plan made while the table was nearly empty is a
 * sequential scan, kept for the pooled connection while the table grows by thousands of rows a
 * second. Planned for each run, the same statement reads the key index once the table is larger
 * than a few pages; planning costs once per statement, not per row, so it is worth it only for
 * statements that carry many rows.
 */
public final class CustomPlans {

  private CustomPlans() {}

  /**
   * Makes {@code statement} run unprepared on the server when it is a PostgreSQL statement (a
   * prepare threshold of 0); returns it.
   */
  public static PreparedStatement planEachRun(PreparedStatement statement) throws SQLException {
    if (statement.isWrapperFor(PGStatement.class)) {
      statement.unwrap(PGStatement.class).setPrepareThreshold(0);
    }
    return statement;
  }
}
