package db.migration;

import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * On H2, {@code jobs} keeps the indexes every job is found through (its key, its dedupe key and
 * {@code (status, type, run_at)}) and drops {@code (locked_until)} and {@code (finished_at)}. H2
 * has no partial indexes (V91 gives PostgreSQL those), so these two held an entry for every job,
 * NULL or not: each insert wrote five index entries, each claim two and each completion three, and
 * on a burst of webhook events the index writes were the largest part of the job rows' cost on the
 * request threads and the worker. What they served is answered through {@code (status, type,
 * run_at)} on H2: the expired leases are among the running jobs of the asked types (a few dozen;
 * {@code JdbcJobStore.EXPIRED_H2}), the dashboard's dead jobs among the dead ones, and the hourly
 * purge reads the done ones kept. PostgreSQL keeps both, partial (V91).
 */
public class V93__jobs_on_h2_without_lease_and_finish_indexes extends BaseJavaMigration {

  @Override
  public void migrate(Context context) throws Exception {
    if (!"H2".equals(context.getConnection().getMetaData().getDatabaseProductName())) {
      return;
    }
    try (Statement statement = context.getConnection().createStatement()) {
      statement.execute("DROP INDEX jobs_locked_until");
      statement.execute("DROP INDEX jobs_finished_at");
    }
  }
}
