package dev.switchboard.platform.jobs;

import dev.switchboard.platform.config.DatabaseConfig;
import dev.switchboard.platform.db.CustomPlans;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The SQL of the queue. Every statement goes through a {@link JdbcClient} on the Spring-managed
 * DataSource, so an insert joins the caller's transaction. Time comes from the caller's clock, not
 * the database's, so that tests and every instance agree on what "due" means. Completion statements
 * match on the worker and attempt that claimed the job, so a worker that lost its lease cannot
 * overwrite the outcome of the run that replaced it.
 */
final class JdbcJobStore {

  private static final String COLUMNS =
      "id, type, payload, dedupe_key, attempts, max_attempts, created_at";

  /**
   * Running jobs whose lease expired, oldest lease first (one query of a claim). A job has a lease
   * exactly while it runs ({@link #finishSql}), so the query does not name the status: with {@code
   * status = 'running'} in it, the planner could answer it through {@code (status, type, run_at)}
   * and read every running version left since the last vacuum; without it, only {@code
   * (locked_until)} matches (V87). The lease is asked for as a range with a lower bound that every
   * lease passes ({@code :leased}, the epoch): without statistics PostgreSQL takes a one-sided
   * {@code locked_until < ?} to hold for a third of the table and planned a sequential scan for it
   * (224 million rows read in one 20 s webhook burst), while a two-sided range is estimated as
   * narrow and read through the index.
   */
  private static final String EXPIRED =
      "SELECT id, run_at FROM jobs WHERE locked_until >= :leased AND locked_until < :now"
          + " AND type IN (:types) ORDER BY locked_until LIMIT :limit";

  /**
   * {@link #EXPIRED} on H2, which has neither {@code (locked_until)} nor {@code (finished_at)}
   * (V93): the running jobs of the asked types, read through {@code (status, type, run_at)}. They
   * are the jobs that run now on every instance, a few dozen, so reading all of them and sorting by
   * lease costs less than keeping an index of leases up to date on every claim and completion. H2
   * keeps no versions of finished rows in its indexes, so the running ones are all it reads.
   */
  private static final String EXPIRED_H2 =
      "SELECT id, run_at FROM jobs WHERE status = 'running' AND type IN (:types)"
          + " AND locked_until < :now ORDER BY locked_until LIMIT :limit";

  /** The lower bound of {@link #EXPIRED}'s range: before every lease. */
  private static final OffsetDateTime ANY_LEASE = at(Instant.EPOCH);

  /** After every lease: the upper bound of a range that holds them all. */
  private static final OffsetDateTime NO_LEASE_LATER = at(Instant.parse("9999-12-31T00:00:00Z"));

  private static final String LOCK = " FOR UPDATE SKIP LOCKED";

  private static final String DONE = "status = 'done', finished_at = :now";
  static final String MARK_DONE = finishSql(DONE);

  /**
   * A job without a dedupe key that completes leaves no row: nothing reads a done job (the stats,
   * the health check, alerts and the dashboard read ready, running and dead jobs; only a dedupe
   * look-up reads a done one, for its key), so its done version, that version's index entries and
   * the purge that deleted it a week later were work for nothing. Matched like {@link #finishSql},
   * on the run that claimed it, so a worker whose lease lapsed cannot delete the run that replaced
   * it; and never a job with a key, whose done row keeps the key taken until the purge.
   */
  static final String DELETE_DONE =
      "DELETE FROM jobs WHERE id = :id AND locked_by = :worker AND attempts = :attempt"
          + " AND dedupe_key IS NULL";

  private static final String CLAIM_SET =
      "SET status = 'running', locked_by = :worker, locked_until = :until,"
          + " attempts = attempts + 1, updated_at = :now";

  // ON CONFLICT rather than catching the violation: on PostgreSQL a failed statement aborts the
  // caller's transaction.
  private static final String INSERT =
      "INSERT INTO jobs (id, type, payload, dedupe_key, status, attempts,"
          + " max_attempts, run_at, created_at, updated_at)"
          + " VALUES (:id, :type, :payload, :key, 'ready', 0, :max, :runAt, :now, :now) ON CONFLICT DO NOTHING";

  /**
   * {@link #INSERT} for several rows on PostgreSQL: one statement whose rows come from arrays, one
   * per column, where a JDBC batch is one statement per row (the server plans, starts and ends an
   * executor for each). {@code RETURNING} names the rows inserted; the others' dedupe keys were
   * taken. Rows go in array order, so of a key repeated in the list the first row holds it, as in
   * the batch. Times travel as ISO-8601 text, which the server parses.
   */
  static final String INSERT_ARRAYS =
      "INSERT INTO jobs (id, type, payload, dedupe_key, status, attempts, max_attempts, run_at,"
          + " created_at, updated_at) SELECT r.id, r.type, r.payload, r.dedupe_key, 'ready', 0,"
          + " r.max_attempts, r.run_at, ?, ? FROM unnest(?::varchar[], ?::varchar[], ?::text[],"
          + " ?::varchar[], ?::int[], ?::timestamptz[])"
          + " AS r(id, type, payload, dedupe_key, max_attempts, run_at)"
          + " ON CONFLICT DO NOTHING RETURNING id";

  /**
   * {@link #MARK_DONE} for several jobs of one worker on PostgreSQL, as one statement: the ids and
   * the attempts as arrays, each row still matched on its own attempt. Run without a server-side
   * prepared statement ({@link CustomPlans.planEachRun}): its generic plan, made while the table
   * was small, joins the ids to a sequential scan of {@code jobs}.
   */
  static final String MARK_DONE_ARRAYS =
      "UPDATE jobs SET status = 'done', finished_at = ?, locked_by = NULL, locked_until = NULL,"
          + " updated_at = ? FROM unnest(?::varchar[], ?::int[]) AS d(id, attempt)"
          + " WHERE jobs.id = d.id AND jobs.locked_by = ? AND jobs.attempts = d.attempt"
          + " RETURNING jobs.id";

  /**
   * {@link #DELETE_DONE} for several jobs of one worker on PostgreSQL, as {@link
   * #MARK_DONE_ARRAYS}.
   */
  static final String DELETE_DONE_ARRAYS =
      "DELETE FROM jobs USING unnest(?::varchar[], ?::int[]) AS d(id, attempt)"
          + " WHERE jobs.id = d.id AND jobs.locked_by = ? AND jobs.attempts = d.attempt"
          + " AND jobs.dedupe_key IS NULL RETURNING jobs.id";

  /**
   * On PostgreSQL, a claim's commit does not wait for its WAL flush: {@code SET LOCAL
   * synchronous_commit = off} for the claim statement's own transaction only, as a CTE the update
   * joins (one round trip, where {@code SET LOCAL} needs an explicit transaction: three). The claim
   * was a WAL flush per batch on the job loop (300 such updates from psql: 130 ms with the flush,
   * 73 ms without). What a crash of the database may lose is only a claim that nothing after it
   * committed: every later commit that waits for its flush (the job's work and completion, {@link
   * JobCompletion}) flushes the WAL up to and including that claim, so no processed job can lose
   * its claim. A claim lost that way leaves the job as it was before it (ready, or leased by the
   * run before), so it is claimed and run again: work must be idempotent, as it already must be for
   * a lease that lapses mid-run (webhook events: {@code PaymentEventJob} skips an event already
   * processed, {@code PaymentEventJobTest}). Nothing else runs without the flush; the setting ends
   * with the statement's transaction, so the pooled connection keeps its own.
   */
  static final String NO_FLUSH_WAIT =
      "quick AS MATERIALIZED (SELECT set_config('synchronous_commit', 'off', true))";

  /** A row to insert: the validated fields of one job. */
  record Insert(
      String id,
      String type,
      String payload,
      Optional<String> dedupeKey,
      int maxAttempts,
      Instant runAt) {}

  private final JdbcClient jdbc;
  private final NamedParameterJdbcTemplate batch;
  private final TransactionTemplate transactions;
  private final DatabaseConfig.Kind kind;

  JdbcJobStore(DataSource dataSource, DatabaseConfig.Kind kind) {
    this.jdbc = JdbcClient.create(dataSource);
    this.batch = new NamedParameterJdbcTemplate(dataSource);
    // Keyed by the DataSource like the application's own manager, so a caller's transaction is
    // joined, not nested.
    this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    this.kind = kind;
  }

  /** Inserts a job unless its dedupe key is taken; returns whether a row was inserted. */
  boolean insert(
      String id,
      String type,
      String payload,
      Optional<String> dedupeKey,
      int maxAttempts,
      Instant runAt,
      Instant now) {
    return jdbc.sql(INSERT)
            .paramSource(params(new Insert(id, type, payload, dedupeKey, maxAttempts, runAt), now))
            .update()
        == 1;
  }

  /**
   * Inserts jobs as one JDBC batch in one transaction (the caller's, when there is one): all rows
   * or none.
   *
   * @return per job, the id that holds it: its own when inserted, the holder's when its dedupe key
   *     was taken
   */
  List<String> insertAll(List<Insert> rows, Instant now) {
    if (kind == DatabaseConfig.Kind.POSTGRESQL) {
      return transactions.execute(status -> insertAsArrays(rows, now));
    }
    SqlParameterSource[] params =
        rows.stream().map(row -> params(row, now)).toArray(SqlParameterSource[]::new);
    return transactions.execute(
        status -> {
          int[] counts = batch.batchUpdate(INSERT, params);
          List<String> ids = new ArrayList<>(rows.size());
          for (int i = 0; i < rows.size(); i++) {
            Insert row = rows.get(i);
            BatchOutcome outcome = BatchOutcome.of(counts[i]);
            if (outcome == BatchOutcome.INSERTED
                || (outcome == BatchOutcome.UNKNOWN && row.dedupeKey().isEmpty())) {
              // Without a dedupe key only the random id could conflict, and nothing else inserts
              // that id.
              ids.add(row.id());
            } else {
              // Skipped, or unknown: the row holding the key, ours or an earlier one, answers
              // either way.
              String key =
                  row.dedupeKey()
                      .orElseThrow(
                          () -> new IllegalStateException("job id collision: " + row.id()));
              ids.add(
                  idForDedupeKey(key)
                      .orElseThrow(() -> new IllegalStateException("dedupe key vanished: " + key)));
            }
          }
          return ids;
        });
  }

  private List<String> insertAsArrays(List<Insert> rows, Instant now) {
    int n = rows.size();
    String[] ids = new String[n];
    String[] types = new String[n];
    String[] payloads = new String[n];
    String[] keys = new String[n];
    Integer[] maxAttempts = new Integer[n];
    String[] runAt = new String[n];
    for (int i = 0; i < n; i++) {
      Insert row = rows.get(i);
      ids[i] = row.id();
      types[i] = row.type();
      payloads[i] = row.payload();
      keys[i] = row.dedupeKey().orElse(null);
      maxAttempts[i] = row.maxAttempts();
      runAt[i] = row.runAt().toString();
    }
    Set<String> inserted = new HashSet<>();
    batch
        .getJdbcTemplate()
        .query(
            con -> {
              var statement = con.prepareStatement(INSERT_ARRAYS);
              statement.setObject(1, at(now));
              statement.setObject(2, at(now));
              statement.setArray(3, con.createArrayOf("varchar", ids));
              statement.setArray(4, con.createArrayOf("varchar", types));
              statement.setArray(5, con.createArrayOf("text", payloads));
              statement.setArray(6, con.createArrayOf("varchar", keys));
              statement.setArray(7, con.createArrayOf("int4", maxAttempts));
              statement.setArray(8, con.createArrayOf("varchar", runAt));
              return statement;
            },
            (RowCallbackHandler) rs -> inserted.add(rs.getString(1)));
    List<String> holders = new ArrayList<>(n);
    for (Insert row : rows) {
      if (inserted.contains(row.id())) {
        holders.add(row.id());
      } else {
        // Skipped: its dedupe key is held, by an earlier job or an earlier row of this list.
        String key =
            row.dedupeKey()
                .orElseThrow(() -> new IllegalStateException("job id collision: " + row.id()));
        holders.add(
            idForDedupeKey(key)
                .orElseThrow(() -> new IllegalStateException("dedupe key vanished: " + key)));
      }
    }
    return holders;
  }

  /** What a driver's batch update count says about one row. */
  enum BatchOutcome {
    INSERTED,
    SKIPPED,
    /**
     * {@link Statement#SUCCESS_NO_INFO}: pgjdbc with {@code reWriteBatchedInserts=true} answers it
     * for every row.
     */
    UNKNOWN;

    static BatchOutcome of(int count) {
      return switch (count) {
        case 1 -> INSERTED;
        case 0 -> SKIPPED;
        case Statement.SUCCESS_NO_INFO -> UNKNOWN;
        default -> throw new IllegalStateException("unexpected batch update count " + count);
      };
    }
  }

  private static MapSqlParameterSource params(Insert row, Instant now) {
    return new MapSqlParameterSource()
        .addValue("id", row.id())
        .addValue("type", row.type())
        .addValue("payload", row.payload())
        .addValue("key", row.dedupeKey().orElse(null))
        .addValue("max", row.maxAttempts())
        .addValue("runAt", at(row.runAt()))
        .addValue("now", at(now));
  }

  Optional<String> idForDedupeKey(String key) {
    return jdbc.sql("SELECT id FROM jobs WHERE dedupe_key = :key")
        .param("key", key)
        .query(String.class)
        .optional();
  }

  /**
   * Leases up to {@code limit} due jobs (ready, or running with an expired lease) of the given
   * types to a worker, earliest {@code run_at} first.
   */
  List<Job> claim(String worker, Collection<String> types, int limit, Instant now, Instant until) {
    if (types.isEmpty() || limit < 1) {
      return List.of();
    }
    List<String> ordered = List.copyOf(types);
    String sql = claimSql(ordered.size());
    if (kind == DatabaseConfig.Kind.POSTGRESQL) {
      return claim(sql, worker, ordered, limit, now, until);
    }
    synchronized (this) {
      return claim(sql, worker, ordered, limit, now, until);
    }
  }

  /**
   * The claim statement for {@code typeCount} types, its parameters those of {@link #claimParams}.
   *
   * <p>The jobs to lease are picked by one query per half of "due": running jobs whose lease
   * expired, read through {@code (locked_until)} from the oldest lease and stopping at the limit
   * (only expired leases are in that range: a handful after an instance died; on H2 the running
   * jobs of the asked types, {@link #EXPIRED_H2}), and ready jobs, one query per type, each reading
   * {@code (status, type, run_at)} from its earliest {@code run_at} and stopping at the limit. The
   * earliest {@code limit} of those are leased. So a claim reads about as many rows as it may
   * lease, whatever waits of other types: with {@code type IN (…)} over {@code (status, run_at)}, a
   * claim for types with nothing due read every ready job of the others (20,000 index rows per
   * claim behind a burst of webhook events; the worker claims its one-job-per-thread types after
   * every enqueue, so on H2 that was half the CPU of webhook ingest).
   *
   * <p>On PostgreSQL each query is a CTE with {@code FOR UPDATE SKIP LOCKED} (locking clauses are
   * not allowed inside {@code UNION}), and every CTE is materialized: the locked rows are picked
   * once (inside {@code IN (…)} the planner may run a {@code LIMIT} subquery again, a nested loop
   * rescanning it, and, skipping other rows each time, lease more than the limit). Rows a query
   * locks but the final {@code LIMIT} drops are unlocked at the statement's end. The claim's commit
   * does not wait for its WAL flush ({@link #NO_FLUSH_WAIT}). On H2, which serves one process,
   * claims are serialized in {@link #claim}, a delta table stands in for {@code RETURNING}, and
   * each query orders by its whole index prefix so that H2 reads the index in order and stops at
   * the limit (with an {@code OR}, or ordered by {@code run_at} alone, it scans or sorts).
   */
  String claimSql(int typeCount) {
    if (kind == DatabaseConfig.Kind.H2) {
      return "SELECT " + COLUMNS + " FROM FINAL TABLE (" + claimUpdate(typeCount) + ")";
    }
    StringBuilder sql =
        new StringBuilder("WITH ")
            .append(NO_FLUSH_WAIT)
            .append(", expired AS MATERIALIZED (")
            .append(EXPIRED)
            .append(LOCK)
            .append(")");
    for (int i = 0; i < typeCount; i++) {
      sql.append(", ready").append(i).append(" AS MATERIALIZED (").append(ready(i)).append(LOCK);
      sql.append(")");
    }
    sql.append(", due AS MATERIALIZED (SELECT id FROM (SELECT id, run_at FROM expired");
    for (int i = 0; i < typeCount; i++) {
      sql.append(" UNION ALL SELECT id, run_at FROM ready").append(i);
    }
    return sql.append(") d ORDER BY run_at, id LIMIT :limit) UPDATE jobs ")
        .append(CLAIM_SET)
        .append(" FROM due CROSS JOIN quick WHERE jobs.id = due.id RETURNING ")
        .append(qualified())
        .toString();
  }

  /**
   * H2's claim without the delta table around it ({@link #claimSql}): the form whose {@code EXPLAIN
   * ANALYZE} shows the rows each query read.
   */
  static String claimUpdate(int typeCount) {
    StringBuilder sql =
        new StringBuilder("UPDATE jobs ")
            .append(CLAIM_SET)
            .append(" WHERE id IN (SELECT id FROM (SELECT id, run_at FROM (")
            .append(EXPIRED_H2)
            .append(")");
    for (int i = 0; i < typeCount; i++) {
      sql.append(" UNION ALL SELECT id, run_at FROM (").append(ready(i)).append(")");
    }
    return sql.append(") ORDER BY run_at, id LIMIT :limit)").toString();
  }

  private static String ready(int type) {
    return "SELECT id, run_at FROM jobs WHERE status = 'ready' AND type = :type"
        + type
        + " AND run_at <= :now ORDER BY status, type, run_at LIMIT :limit";
  }

  /** The parameters of {@link #claimSql} for these types, in this order. */
  static MapSqlParameterSource claimParams(
      String worker, List<String> types, int limit, Instant now, Instant until) {
    MapSqlParameterSource params =
        new MapSqlParameterSource()
            .addValue("worker", worker)
            .addValue("until", at(until))
            .addValue("now", at(now))
            .addValue("leased", ANY_LEASE)
            .addValue("types", types)
            .addValue("limit", limit);
    for (int i = 0; i < types.size(); i++) {
      params.addValue("type" + i, types.get(i));
    }
    return params;
  }

  private static String qualified() {
    return "jobs." + COLUMNS.replace(", ", ", jobs.");
  }

  private List<Job> claim(
      String sql, String worker, List<String> types, int limit, Instant now, Instant until) {
    return jdbc.sql(sql)
        .paramSource(claimParams(worker, types, limit, now, until))
        .query(JdbcJobStore::job)
        .list();
  }

  /**
   * Extends the lease of jobs this worker still runs (leased to it means running: {@link
   * #finishSql}).
   */
  void extendLeases(String worker, Collection<String> ids, Instant now, Instant until) {
    if (!ids.isEmpty()) {
      jdbc.sql(
              "UPDATE jobs SET locked_until = :until, updated_at = :now"
                  + " WHERE id IN (:ids) AND locked_by = :worker")
          .param("until", at(until))
          .param("now", at(now))
          .param("ids", ids)
          .param("worker", worker)
          .update();
    }
  }

  /**
   * Ends a run that succeeded: a job with a dedupe key is marked done (its row keeps the key taken
   * until the purge), one without is deleted ({@link #DELETE_DONE}).
   *
   * @return whether the job was still this worker's run
   */
  boolean markDone(Job job, String worker, Instant now) {
    if (job.dedupeKey().isPresent()) {
      return finish(job, worker, DONE, now, null, null);
    }
    return jdbc.sql(DELETE_DONE)
            .param("id", job.id())
            .param("worker", worker)
            .param("attempt", job.attempt())
            .update()
        == 1;
  }

  /**
   * {@link #markDone} for several jobs of one worker, in the order given: one statement (on
   * PostgreSQL) or one batch (on H2) for the jobs without a dedupe key, and one for those with one.
   *
   * @return per job, whether it was marked (false when it is no longer this worker's run)
   */
  boolean[] markAllDone(List<Job> jobs, String worker, Instant now) {
    boolean[] marked = new boolean[jobs.size()];
    if (jobs.size() == 1) {
      marked[0] = markDone(jobs.get(0), worker, now);
      return marked;
    }
    if (jobs.isEmpty()) {
      return marked;
    }
    // The jobs with a dedupe key are marked done, those without deleted.
    List<Job> keyed = new ArrayList<>();
    List<Job> keyless = new ArrayList<>();
    for (Job job : jobs) {
      (job.dedupeKey().isPresent() ? keyed : keyless).add(job);
    }
    boolean[] keylessEnded = endAll(keyless, worker, now, true);
    boolean[] keyedEnded = endAll(keyed, worker, now, false);
    int nextKeyless = 0;
    int nextKeyed = 0;
    for (int i = 0; i < jobs.size(); i++) {
      marked[i] =
          jobs.get(i).dedupeKey().isPresent()
              ? keyedEnded[nextKeyed++]
              : keylessEnded[nextKeyless++];
    }
    return marked;
  }

  /** Ends these jobs as one statement or batch: deleted, or marked done; nothing when empty. */
  private boolean[] endAll(List<Job> jobs, String worker, Instant now, boolean delete) {
    if (jobs.isEmpty()) {
      return new boolean[0];
    }
    return kind == DatabaseConfig.Kind.POSTGRESQL
        ? endAllAsArrays(jobs, worker, now, delete)
        : endAllAsBatch(jobs, worker, now, delete);
  }

  /** On H2: {@link #MARK_DONE} or {@link #DELETE_DONE} as one JDBC batch, its counts per job. */
  private boolean[] endAllAsBatch(List<Job> jobs, String worker, Instant now, boolean delete) {
    SqlParameterSource[] params = new SqlParameterSource[jobs.size()];
    for (int i = 0; i < jobs.size(); i++) {
      params[i] =
          new MapSqlParameterSource()
              .addValue("now", at(now))
              .addValue("id", jobs.get(i).id())
              .addValue("worker", worker)
              .addValue("attempt", jobs.get(i).attempt());
    }
    int[] counts = batch.batchUpdate(delete ? DELETE_DONE : MARK_DONE, params);
    boolean[] ended = new boolean[jobs.size()];
    for (int i = 0; i < counts.length; i++) {
      ended[i] = counts[i] == 1;
    }
    return ended;
  }

  /**
   * On PostgreSQL: {@link #MARK_DONE_ARRAYS} or {@link #DELETE_DONE_ARRAYS}, whose {@code
   * RETURNING} names the jobs that were still this worker's.
   */
  private boolean[] endAllAsArrays(List<Job> jobs, String worker, Instant now, boolean delete) {
    String[] ids = new String[jobs.size()];
    Integer[] attempts = new Integer[jobs.size()];
    for (int i = 0; i < jobs.size(); i++) {
      ids[i] = jobs.get(i).id();
      attempts[i] = jobs.get(i).attempt();
    }
    Set<String> done = new HashSet<>();
    batch
        .getJdbcTemplate()
        .query(
            con -> {
              var statement =
                  CustomPlans.planEachRun(
                      con.prepareStatement(delete ? DELETE_DONE_ARRAYS : MARK_DONE_ARRAYS));
              int p = 1;
              if (!delete) {
                statement.setObject(p++, at(now));
                statement.setObject(p++, at(now));
              }
              statement.setArray(p++, con.createArrayOf("varchar", ids));
              statement.setArray(p++, con.createArrayOf("int4", attempts));
              statement.setString(p, worker);
              return statement;
            },
            (RowCallbackHandler) rs -> done.add(rs.getString(1)));
    boolean[] marked = new boolean[jobs.size()];
    for (int i = 0; i < jobs.size(); i++) {
      // An id listed twice is one row: ended once, for its first listing.
      marked[i] = done.remove(ids[i]);
    }
    return marked;
  }

  boolean reschedule(Job job, String worker, Instant runAt, String error, Instant now) {
    return finish(
        job, worker, "status = 'ready', run_at = :runAt, last_error = :error", now, runAt, error);
  }

  /** Back to ready without using up the attempt this run was counted as. */
  boolean defer(Job job, String worker, Instant runAt, String note, Instant now) {
    return finish(
        job,
        worker,
        "status = 'ready', run_at = :runAt, attempts = attempts - 1, last_error = :error",
        now,
        runAt,
        note);
  }

  /**
   * Hands jobs this worker still holds back to the queue at once, without using up their attempt:
   * for a stopping instance whose handlers did not end within the grace, so another instance takes
   * them now instead of after the lease. A handler that still finishes here afterwards finds its
   * lease gone and records nothing.
   *
   * @return how many jobs were released
   */
  int release(String worker, Collection<String> ids, String note, Instant now) {
    if (ids.isEmpty()) {
      return 0;
    }
    return jdbc.sql(
            "UPDATE jobs SET status = 'ready', run_at = :now, attempts = attempts - 1,"
                + " last_error = :note, locked_by = NULL, locked_until = NULL, updated_at = :now"
                + " WHERE id IN (:ids) AND locked_by = :worker")
        .param("now", at(now))
        .param("note", note)
        .param("ids", ids)
        .param("worker", worker)
        .update();
  }

  /**
   * Hands every job leased to {@code worker} back to the queue, except those in {@code keep}, with
   * the attempt their claim counted given back and their last error kept: for the jobs of a claim
   * whose answer was lost, which never ran. The leased jobs are found through {@code
   * (locked_until)}, as a range that holds every lease (a running job has one; the range, not
   * {@code IS NOT NULL}, is what a plan made without statistics reads through the index): on
   * PostgreSQL {@code (status, type, run_at)} holds only ready jobs (V91). H2 has no {@code
   * (locked_until)} (V93) and reads the running jobs through {@code (status, type, run_at)}.
   *
   * @return how many jobs were released
   */
  int releaseAllBut(String worker, Collection<String> keep, Instant now) {
    var statement =
        jdbc.sql(
                "UPDATE jobs SET status = 'ready', run_at = :now, attempts = attempts - 1,"
                    + " locked_by = NULL, locked_until = NULL, updated_at = :now"
                    + " WHERE locked_by = :worker AND status = 'running'"
                    + " AND locked_until >= :leased AND locked_until < :forever"
                    + (keep.isEmpty() ? "" : " AND id NOT IN (:keep)"))
            .param("now", at(now))
            .param("worker", worker)
            .param("leased", ANY_LEASE)
            .param("forever", NO_LEASE_LATER);
    return (keep.isEmpty() ? statement : statement.param("keep", keep)).update();
  }

  boolean bury(Job job, String worker, String error, Instant now) {
    return finish(
        job, worker, "status = 'dead', finished_at = :now, last_error = :error", now, null, error);
  }

  private boolean finish(
      Job job, String worker, String set, Instant now, Instant runAt, String error) {
    return jdbc.sql(finishSql(set))
            .param("now", at(now))
            .param("runAt", runAt == null ? null : at(runAt))
            .param("error", error)
            .param("id", job.id())
            .param("worker", worker)
            .param("attempt", job.attempt())
            .update()
        == 1;
  }

  /**
   * An outcome's update: only the run that claimed the job (worker and attempt) may write it.
   *
   * <p>A job is leased ({@code locked_by} set) exactly while it is running: a claim sets both, and
   * every statement that ends a run (these, {@link #release}, {@link #releaseAllBut}) clears the
   * lease with the status. So {@code locked_by = :worker} already means running, and the statement
   * does not name the status: given {@code status = 'running'}, PostgreSQL took an index led by
   * status instead of the primary key once its statistics said few jobs run, and read, row by row,
   * the running version of every job finished since the last vacuum (4 million index entries in one
   * webhook burst; 315 pages for one job in {@code JobsOnPostgresIT}).
   */
  private static String finishSql(String set) {
    return "UPDATE jobs SET "
        + set
        + ", locked_by = NULL, locked_until = NULL, updated_at = :now"
        + " WHERE id = :id AND locked_by = :worker AND attempts = :attempt";
  }

  /**
   * The jobs waiting, running and dead, per type and status: one index read per status ({@code
   * (status, type, run_at)}, on PostgreSQL its ready-only form, the leases and the dead jobs'
   * index), never the done jobs kept until the purge. Counting those too read every row of the
   * table on each health check and alert evaluation: hundreds of thousands of rows after a webhook
   * burst, and the table's whole history on a busy day.
   */
  Map<String, Map<JobStatus, Long>> counts() {
    Map<String, Map<JobStatus, Long>> counts = new HashMap<>();
    jdbc.sql(COUNTS)
        .query(
            rs -> {
              counts
                  .computeIfAbsent(rs.getString("type"), t -> new HashMap<>())
                  .put(JobStatus.of(rs.getString("status")), rs.getLong("n"));
            });
    counts.replaceAll((type, byStatus) -> Map.copyOf(byStatus));
    return counts;
  }

  /**
   * A running job holds a lease ({@code claim} sets it, every statement that ends a run clears it
   * with the status), so naming the lease lets PostgreSQL read the running jobs through {@code
   * jobs_locked_until}.
   */
  static final String COUNTS =
      "SELECT type, status, COUNT(*) AS n FROM jobs WHERE status = 'ready' GROUP BY type, status"
          + " UNION ALL SELECT type, status, COUNT(*) AS n FROM jobs"
          + " WHERE status = 'running' AND locked_until IS NOT NULL GROUP BY type, status"
          + " UNION ALL SELECT type, status, COUNT(*) AS n FROM jobs WHERE status = 'dead'"
          + " GROUP BY type, status";

  Optional<Instant> oldestDue(Instant now) {
    return jdbc.sql("SELECT MIN(run_at) FROM jobs WHERE status = 'ready' AND run_at <= :now")
        .param("now", at(now))
        .query(
            (rs, n) ->
                Optional.ofNullable(rs.getObject(1, OffsetDateTime.class))
                    .map(OffsetDateTime::toInstant))
        .single();
  }

  List<DeadJob> dead(int limit) {
    return jdbc.sql(
            "SELECT id, type, attempts, last_error, created_at, finished_at FROM jobs WHERE status = 'dead'"
                + " ORDER BY finished_at DESC LIMIT :limit")
        .param("limit", limit)
        .query(
            (rs, n) ->
                new DeadJob(
                    rs.getString("id"),
                    rs.getString("type"),
                    rs.getInt("attempts"),
                    rs.getString("last_error"),
                    instant(rs, "created_at"),
                    instant(rs, "finished_at")))
        .list();
  }

  /** Makes a dead job ready again with a fresh set of attempts. */
  boolean revive(String id, Instant now) {
    return jdbc.sql(
                "UPDATE jobs SET status = 'ready', attempts = 0, run_at = :now, finished_at = NULL,"
                    + " updated_at = :now WHERE id = :id AND status = 'dead'")
            .param("now", at(now))
            .param("id", id)
            .update()
        == 1;
  }

  /**
   * Deletes done jobs finished before the given time; dead jobs stay until someone looks at them.
   * The finish time is asked for as a range from the epoch, as {@link #EXPIRED} asks for leases:
   * planned without statistics, a one-sided {@code finished_at < ?} is taken to hold for a third of
   * the table and read by a sequential scan, where before V91 the plan read {@code (status, type,
   * run_at)}, which on PostgreSQL now holds ready jobs only. On H2, without {@code (finished_at)}
   * (V93), it reads the done jobs through {@code (status, type, run_at)}: all of those kept, once
   * an hour.
   */
  int purgeDone(Instant finishedBefore) {
    return jdbc.sql(
            "DELETE FROM jobs WHERE status = 'done' AND finished_at >= :finished"
                + " AND finished_at < :before")
        .param("finished", ANY_LEASE)
        .param("before", at(finishedBefore))
        .update();
  }

  private static Job job(ResultSet rs, int row) throws SQLException {
    return new Job(
        rs.getString("id"),
        rs.getString("type"),
        rs.getString("payload"),
        Optional.ofNullable(rs.getString("dedupe_key")),
        rs.getInt("attempts"),
        rs.getInt("max_attempts"),
        instant(rs, "created_at"));
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  private static OffsetDateTime at(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
