package db.migration;

import java.sql.Statement;
import java.util.List;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * {@code payment_events} finds the events that wait for their customer through a column of their
 * own, {@code unmatched_customer}: the customer while the event is {@code unmatched}, NULL
 * otherwise. The index it replaces named {@code status} ({@code (customer_id, status)} on H2, a
 * partial index {@code WHERE status = 'unmatched'} on PostgreSQL, V91), so every processed event
 * changed an indexed column: on H2 its entry was taken out of the index and put back, on PostgreSQL
 * the new row version could not be a HOT update and went into every index of the table. An event
 * that never waits keeps NULL from insert to processed, and its update changes no indexed column on
 * either database.
 *
 * <p>Rows already {@code unmatched} get their customer. On PostgreSQL the index is partial ({@code
 * WHERE unmatched_customer IS NOT NULL}: {@code unmatched_customer = ?} implies it, also in a
 * generic plan); H2 has no partial indexes and holds an entry per event, written once at insert.
 */
public class V95__payment_events_unmatched_customer extends BaseJavaMigration {

  private static final List<String> BOTH =
      List.of(
          "ALTER TABLE payment_events ADD COLUMN unmatched_customer VARCHAR(255)",
          "UPDATE payment_events SET unmatched_customer = customer_id WHERE status = 'unmatched'",
          "DROP INDEX payment_events_customer");

  private static final String POSTGRESQL =
      "CREATE INDEX payment_events_unmatched ON payment_events (unmatched_customer, provider)"
          + " WHERE unmatched_customer IS NOT NULL";

  private static final String H2 =
      "CREATE INDEX payment_events_unmatched ON payment_events (unmatched_customer, provider)";

  @Override
  public void migrate(Context context) throws Exception {
    var connection = context.getConnection();
    boolean postgresql = "PostgreSQL".equals(connection.getMetaData().getDatabaseProductName());
    try (Statement statement = connection.createStatement()) {
      for (String sql : BOTH) {
        statement.execute(sql);
      }
      statement.execute(postgresql ? POSTGRESQL : H2);
    }
  }
}
