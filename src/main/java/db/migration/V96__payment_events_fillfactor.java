package db.migration;

import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * On PostgreSQL, {@code payment_events} pages are filled to 70 % on insert, so that an event's
 * processed version finds room in its own page: since V95 that update changes no indexed column,
 * but PostgreSQL makes it a HOT update (no index entry) only when the new version fits in the page
 * of the old one. A webhook event is one short row (about 370 bytes with the payload inline, under
 * the 2 kB at which it would be TOASTed); full pages held 21 and let the first of their updates go
 * elsewhere, into every index. Only pages filled from now on keep the room. H2 has no fill factor
 * (and no HOT updates: an update there writes only the index entries that change).
 */
public class V96__payment_events_fillfactor extends BaseJavaMigration {

  @Override
  public void migrate(Context context) throws Exception {
    var connection = context.getConnection();
    if (!"PostgreSQL".equals(connection.getMetaData().getDatabaseProductName())) {
      return;
    }
    try (Statement statement = connection.createStatement()) {
      statement.execute("ALTER TABLE payment_events SET (fillfactor = 70)");
    }
  }
}
