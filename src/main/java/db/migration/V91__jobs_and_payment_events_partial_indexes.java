package db.migration;

import java.sql.Statement;
import java.util.List;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * On PostgreSQL, each version of a {@code jobs} or {@code payment_events} row enters only the
 * indexes it can be found through. A job row has three versions (inserted ready, claimed, done),
 * none of them a HOT update (the status changes, and it is indexed), so each was written into all
 * five indexes of {@code jobs}: fifteen index entries per job; a webhook event's two versions
 * (received, then processed) went into all three of {@code payment_events}. With partial indexes a
 * ready job is in {@code (status, type, run_at)}, a running one in {@code (locked_until)}, a
 * finished one in {@code (finished_at)}, and an event in {@code (customer_id, provider)} only while
 * it waits for its customer: nine entries per job (the primary key and the dedupe key every
 * version) and four per event.
 *
 * <p>Every query these indexes serve names a condition that implies the index's predicate, as a
 * literal or as a strict comparison on the column, so the planner matches them also in a generic
 * plan: the claim's {@code status = 'ready'} and its expired half's {@code locked_until} range,
 * purge's {@code finished_at} range and the lease range of {@code JdbcJobStore.releaseAllBut}, the
 * dashboard's {@code status = 'dead'}, a dedupe look-up's {@code dedupe_key = ?}, {@code status =
 * 'unmatched'} for the events that wait for a customer (EXPLAIN of each with {@code plan_cache_mode
 * = force_generic_plan}, with and without statistics, over 100,000 done, 5,000 ready and 50 running
 * jobs and 100,000 events). Dead jobs get a small index of their own: {@code (status, type,
 * run_at)} no longer holds them.
 *
 * <p>The indexes keep their names; each is dropped and made again in the migration's transaction.
 *
 * <p>H2 has no partial indexes and keeps those of V86/V87: its update writes index entries in
 * memory, and the per-event cost on H2 lies elsewhere. A Java migration in the one migration
 * location, so that both databases and {@code ApiKeyCli} apply the same list of versions.
 */
public class V91__jobs_and_payment_events_partial_indexes extends BaseJavaMigration {

  private static final List<String> POSTGRESQL =
      List.of(
          "DROP INDEX jobs_status_type_run_at",
          "CREATE INDEX jobs_status_type_run_at ON jobs (status, type, run_at)"
              + " WHERE status = 'ready'",
          "DROP INDEX jobs_locked_until",
          "CREATE INDEX jobs_locked_until ON jobs (locked_until) WHERE locked_until IS NOT NULL",
          "DROP INDEX jobs_finished_at",
          "CREATE INDEX jobs_finished_at ON jobs (finished_at) WHERE finished_at IS NOT NULL",
          "CREATE INDEX jobs_dead_finished_at ON jobs (finished_at) WHERE status = 'dead'",
          "DROP INDEX jobs_dedupe_key",
          "CREATE UNIQUE INDEX jobs_dedupe_key ON jobs (dedupe_key) WHERE dedupe_key IS NOT NULL",
          "DROP INDEX payment_events_customer",
          "CREATE INDEX payment_events_customer ON payment_events (customer_id, provider)"
              + " WHERE status = 'unmatched'");

  @Override
  public void migrate(Context context) throws Exception {
    var connection = context.getConnection();
    if (!"PostgreSQL".equals(connection.getMetaData().getDatabaseProductName())) {
      return;
    }
    try (Statement statement = connection.createStatement()) {
      for (String sql : POSTGRESQL) {
        statement.execute(sql);
      }
    }
  }
}
