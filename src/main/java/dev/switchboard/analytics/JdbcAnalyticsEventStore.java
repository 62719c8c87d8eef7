package dev.switchboard.analytics;

import dev.switchboard.platform.db.GroupCommit;
import dev.switchboard.platform.db.GroupCommits;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link AnalyticsEventStore} on the application database (H2 or PostgreSQL). A call's events are
 * one multi-row JDBC batch in one transaction; calls arriving while a write is running are written
 * together in the next transaction (group commit, {@link GroupCommit}), which is what lets many
 * small requests share one commit. Several groups are written and committed at once, so ids can
 * commit out of order: {@link #after} reads only below the ids still being written ({@link
 * UncommittedIds}).
 */
public final class JdbcAnalyticsEventStore implements AnalyticsEventStore {

  private static final String COLUMNS =
      "id, source, message_id, type, event, user_id, anonymous_id, occurred_at, received_at, payload";

  private final DataSource dataSource;
  private final JdbcClient jdbc;
  private final JsonMapper json;

  private final GroupCommit<List<AnalyticsEvent>, List<AnalyticsEvent>> appends;

  /** Ids drawn at insert and not yet visible: where {@link #after} stops. */
  private final UncommittedIds uncommitted = new UncommittedIds();

  /** How long a reader waits for a write in flight to say which ids it drew (one insert). */
  private static final long READ_WAIT_MILLIS = 5_000;

  /** Events per group commit at most: one request's events are never split. */
  static final int MAX_GROUP = 5_000;

  /** Past every hour a count can have (ingest clamps timestamps far in the future). */
  private static final Instant LAST_HOUR = Instant.parse("9999-12-31T00:00:00Z");

  public JdbcAnalyticsEventStore(
      DataSource dataSource, TransactionTemplate transactions, JsonMapper json) {
    this(dataSource, GroupCommits.of(transactions.getTransactionManager()), json);
  }

  public JdbcAnalyticsEventStore(DataSource dataSource, GroupCommits commits, JsonMapper json) {
    this.dataSource = dataSource;
    this.jdbc = JdbcClient.create(dataSource);
    this.json = json;
    // Its own transaction always: the group written may hold other callers' events.
    this.appends = commits.ownTransactionLane("analytics", this::writeGroup, List::size, MAX_GROUP);
  }

  @Override
  public List<AnalyticsEvent> append(List<AnalyticsEvent> events) {
    if (events.isEmpty()) {
      return List.of();
    }
    return appends.write(events);
  }

  @Override
  public List<AnalyticsEvent> appendInTransaction(List<AnalyticsEvent> events) {
    if (!TransactionSynchronizationManager.isActualTransactionActive()) {
      throw new IllegalStateException("appendInTransaction needs an active transaction");
    }
    if (events.isEmpty()) {
      return List.of();
    }
    UncommittedIds.Write write = beginWrite();
    // The caller's connection, bound to its transaction: these rows commit with the caller's.
    Connection connection = DataSourceUtils.getConnection(dataSource);
    try {
      List<AnalyticsEvent> inserted = insert(connection, withoutRepeats(events), write, false);
      countHours(connection, inserted, write.stripe);
      link(connection, inserted);
      return inserted;
    } catch (SQLException e) {
      throw new DataAccessResourceFailureException("analytics insert failed", e);
    } finally {
      DataSourceUtils.releaseConnection(connection, dataSource);
    }
  }

  /** Runs in the group's transaction: every caller's events as one batch, in arrival order. */
  private List<List<AnalyticsEvent>> writeGroup(List<List<AnalyticsEvent>> group) {
    List<AnalyticsEvent> all = new ArrayList<>();
    for (List<AnalyticsEvent> events : group) {
      all.addAll(events);
    }
    List<AnalyticsEvent> unique = withoutRepeats(all);
    UncommittedIds.Write write = beginWrite();
    Connection connection = DataSourceUtils.getConnection(dataSource);
    List<AnalyticsEvent> stored;
    try {
      // The group's transaction has done nothing before this insert.
      stored = insert(connection, unique, write, true);
      countHours(connection, stored, write.stripe);
      link(connection, stored);
    } catch (SQLException e) {
      throw new DataAccessResourceFailureException("analytics insert failed", e);
    } finally {
      DataSourceUtils.releaseConnection(connection, dataSource);
    }
    if (stored.size() == all.size()) {
      return group;
    }
    // Hand each caller the stored events of its own list (identity, not equality: two callers may
    // send equal events, and only the first one is stored).
    Set<AnalyticsEvent> kept = Collections.newSetFromMap(new IdentityHashMap<>());
    kept.addAll(stored);
    List<List<AnalyticsEvent>> outputs = new ArrayList<>(group.size());
    for (List<AnalyticsEvent> events : group) {
      List<AnalyticsEvent> own = new ArrayList<>();
      for (AnalyticsEvent e : events) {
        if (kept.contains(e)) {
          own.add(e);
        }
      }
      outputs.add(own);
    }
    return outputs;
  }

  /**
   * Registers a write of the transaction on this thread before it draws an id; it ends when the
   * transaction does, committed or rolled back.
   */
  private UncommittedIds.Write beginWrite() {
    if (!TransactionSynchronizationManager.isSynchronizationActive()) {
      throw new IllegalStateException("analytics events are written in a managed transaction");
    }
    UncommittedIds.Write write = uncommitted.begin();
    TransactionSynchronizationManager.registerSynchronization(
        new TransactionSynchronization() {
          @Override
          public void afterCompletion(int status) {
            uncommitted.end(write);
          }
        });
    return write;
  }

  /**
   * Inserts the events (no message id repeated among them); returns the ones that were new, in
   * order. Usually every one is: the rows are then written as plain inserts that read nothing back
   * (on PostgreSQL {@code ON CONFLICT} costs a speculative insertion per row, one more index probe
   * and WAL record each). When one of the ids was stored before, that insert fails on the unique
   * index: the write is undone and done again leaving the stored ones out and returning the
   * inserted rows' keys, to tell which were new.
   *
   * @param first whether the insert is the transaction's first statement: it is then undone by
   *     rolling the transaction back, with no savepoint set beforehand (on PostgreSQL a savepoint
   *     is a round trip and makes the rows a subtransaction's; on H2 a statement parsed each time)
   */
  private List<AnalyticsEvent> insert(
      Connection connection, List<AnalyticsEvent> events, UncommittedIds.Write write, boolean first)
      throws SQLException {
    Savepoint before = first ? null : connection.setSavepoint();
    try {
      insert(connection, events, null, write);
      return events;
    } catch (SQLException e) {
      if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
        throw e;
      }
    }
    if (before == null) {
      // Ends the transaction, which held nothing else; the connection stays in manual commit, so
      // the next statement begins the one the group commits.
      connection.rollback();
    } else {
      connection.rollback(before);
    }
    List<AnalyticsEvent> stored = new ArrayList<>(events.size());
    insert(connection, events, stored, write);
    return stored;
  }

  /** SQLSTATE of a unique index violation, on H2 and PostgreSQL. */
  private static final String UNIQUE_VIOLATION = "23505";

  /**
   * A message id repeated within one call is stored once: the first occurrence wins, as across
   * calls.
   */
  private static List<AnalyticsEvent> withoutRepeats(List<AnalyticsEvent> events) {
    if (events.isEmpty()) {
      return events;
    }
    // Keyed by the message id alone (no string built per event) when all have one source, as
    // nearly every group has.
    String source = events.get(0).source();
    boolean oneSource = true;
    for (AnalyticsEvent e : events) {
      if (!e.source().equals(source)) {
        oneSource = false;
        break;
      }
    }
    Set<String> seen = new HashSet<>(events.size() * 2);
    List<AnalyticsEvent> first = null;
    for (int i = 0; i < events.size(); i++) {
      AnalyticsEvent e = events.get(i);
      boolean added = seen.add(oneSource ? e.messageId() : e.source() + '\n' + e.messageId());
      if (!added && first == null) {
        first = new ArrayList<>(events.subList(0, i));
      } else if (added && first != null) {
        first.add(e);
      }
    }
    return first == null ? events : first;
  }

  /**
   * Writes the events as multi-row statements; returns the number of rows inserted. With {@code
   * stored} not null, the statements leave stored ids out ({@code ON CONFLICT DO NOTHING}), return
   * the inserted rows' keys, and the events they came from are added to it in order; with null, a
   * stored id fails the statement, and only the first statement reads its rows' ids back (the later
   * ones draw higher ids). Each statement that read ids back tells {@code write} the lowest.
   */
  private int insert(
      Connection connection,
      List<AnalyticsEvent> events,
      List<AnalyticsEvent> stored,
      UncommittedIds.Write write)
      throws SQLException {
    // Multi-row statements of 256, 128, ..., 1 rows: one statement carries many events (a JDBC
    // batch of one-row inserts paid the statement's overhead per event, on PostgreSQL a server
    // round of work each), and a handful of statement shapes stay in the statement caches.
    int inserted = 0;
    int at = 0;
    while (at < events.size()) {
      int rows = Integer.highestOneBit(Math.min(events.size() - at, MAX_ROWS_PER_STATEMENT));
      inserted += insertRows(connection, events.subList(at, at + rows), stored, at == 0, write);
      at += rows;
    }
    return inserted;
  }

  /** Rows per INSERT statement at most (9 parameters a row). */
  static final int MAX_ROWS_PER_STATEMENT = 256;

  /** The INSERT of 2^i rows, at index i; a stored id fails it. */
  private static final String[] INSERTS = inserts("");

  /** As {@link #INSERTS}, leaving stored ids out. */
  private static final String[] INSERTS_NEW_ONLY = inserts(" ON CONFLICT DO NOTHING");

  /**
   * Columns read back from the inserted rows when some may have been repeats: their ids, and which
   * events were new (a repeated message id is not inserted and returns no row).
   */
  private static final String[] RETURNED = {"id", "source", "message_id"};

  /** Read back from a group's first insert: the lowest id it drew. */
  private static final String[] RETURNED_ID = {"id"};

  private static String[] inserts(String onConflict) {
    String[] sql = new String[Integer.numberOfTrailingZeros(MAX_ROWS_PER_STATEMENT) + 1];
    for (int i = 0; i < sql.length; i++) {
      sql[i] =
          "INSERT INTO analytics_events (source, message_id, type, event, user_id, anonymous_id,"
              + " occurred_at, received_at, payload) VALUES "
              + String.join(", ", Collections.nCopies(1 << i, "(?, ?, ?, ?, ?, ?, ?, ?, ?)"))
              + onConflict;
    }
    return sql;
  }

  /**
   * Inserts 2^i rows in one statement; returns how many went in. With {@code stored} not null, adds
   * the events whose rows went in (not repeats), in order. Tells {@code write} the lowest id drawn
   * when it reads ids back: always with {@code stored}, else on the {@code first} statement.
   */
  private int insertRows(
      Connection connection,
      List<AnalyticsEvent> rows,
      List<AnalyticsEvent> stored,
      boolean first,
      UncommittedIds.Write write)
      throws SQLException {
    String sql =
        (stored == null ? INSERTS : INSERTS_NEW_ONLY)[Integer.numberOfTrailingZeros(rows.size())];
    boolean ids = stored != null || first;
    try (PreparedStatement insert =
        !ids
            ? connection.prepareStatement(sql)
            : connection.prepareStatement(sql, stored == null ? RETURNED_ID : RETURNED)) {
      int p = 0;
      // A request's events share one receivedAt (and often a timestamp): converted once.
      Instant lastTime = null;
      OffsetDateTime lastAt = null;
      Instant lastReceived = null;
      OffsetDateTime lastReceivedAt = null;
      for (AnalyticsEvent e : rows) {
        insert.setString(++p, e.source());
        insert.setString(++p, e.messageId());
        insert.setString(++p, e.type());
        insert.setString(++p, e.event());
        insert.setString(++p, e.userId());
        insert.setString(++p, e.anonymousId());
        if (e.timestamp() != lastTime) {
          lastTime = e.timestamp();
          lastAt = at(lastTime);
        }
        insert.setObject(++p, lastAt);
        if (e.receivedAt() != lastReceived) {
          lastReceived = e.receivedAt();
          lastReceivedAt = at(lastReceived);
        }
        insert.setObject(++p, lastReceivedAt);
        insert.setString(++p, e.payloadJson());
      }
      int inserted = insert.executeUpdate();
      if (!ids || inserted == 0) {
        return inserted;
      }
      // The rows come back in no promised order: matched by (source, message id), unique here.
      Set<String> keys = stored == null ? null : new HashSet<>(inserted * 2);
      long lowest = Long.MAX_VALUE;
      try (ResultSet returned = insert.getGeneratedKeys()) {
        while (returned.next()) {
          lowest = Math.min(lowest, returned.getLong(1));
          if (keys != null) {
            keys.add(returned.getString(2) + '\n' + returned.getString(3));
          }
        }
      }
      // Before the commit, which is what makes these ids visible.
      uncommitted.drew(write, lowest);
      if (stored == null) {
        return inserted;
      }
      for (AnalyticsEvent e : rows) {
        if (keys.contains(e.source() + '\n' + e.messageId())) {
          stored.add(e);
        }
      }
      return inserted;
    }
  }

  /** Adds the events to the hourly counts of the write's stripe. */
  private static void countHours(Connection connection, List<AnalyticsEvent> stored, int stripe)
      throws SQLException {
    Map<String, Map<Instant, Long>> perHour = new LinkedHashMap<>();
    // A request's events mostly repeat one name and one timestamp: runs of them are counted
    // before they are looked up.
    String runEvent = null;
    Instant runTime = null;
    long run = 0;
    for (AnalyticsEvent e : stored) {
      if (e.event() == null) {
        continue;
      }
      if (e.event().equals(runEvent) && e.timestamp().equals(runTime)) {
        run++;
        continue;
      }
      addRun(perHour, runEvent, runTime, run);
      runEvent = e.event();
      runTime = e.timestamp();
      run = 1;
    }
    addRun(perHour, runEvent, runTime, run);
    // Update first, insert the missing rows, update again for rows another instance inserted in
    // between: portable
    // between H2 and PostgreSQL, which disagree on ON CONFLICT DO UPDATE and MERGE.
    List<Object[]> missing = addTo(connection, perHour, stripe);
    if (missing.isEmpty()) {
      return;
    }
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO analytics_hourly (event, hour_start, stripe, events) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
      for (Object[] row : missing) {
        insert.setString(1, (String) row[0]);
        insert.setObject(2, at((Instant) row[1]));
        insert.setInt(3, stripe);
        insert.setLong(4, (Long) row[2]);
        insert.addBatch();
      }
      int[] counts = insert.executeBatch();
      Map<String, Map<Instant, Long>> raced = new LinkedHashMap<>();
      for (int i = 0; i < counts.length; i++) {
        if (counts[i] == 0) {
          Object[] row = missing.get(i);
          raced
              .computeIfAbsent((String) row[0], k -> new LinkedHashMap<>())
              .put((Instant) row[1], (Long) row[2]);
        }
      }
      addTo(connection, raced, stripe);
    }
  }

  private static void addRun(
      Map<String, Map<Instant, Long>> perHour, String event, Instant time, long n) {
    if (n > 0) {
      perHour
          .computeIfAbsent(event, k -> new LinkedHashMap<>())
          .merge(time.truncatedTo(ChronoUnit.HOURS), n, Long::sum);
    }
  }

  /**
   * Adds the counts to existing rows; returns the rows that do not exist yet as {event, hour,
   * count}.
   */
  private static List<Object[]> addTo(
      Connection connection, Map<String, Map<Instant, Long>> perHour, int stripe)
      throws SQLException {
    List<Object[]> rows = new ArrayList<>();
    perHour.forEach(
        (event, hours) -> hours.forEach((hour, n) -> rows.add(new Object[] {event, hour, n})));
    if (rows.isEmpty()) {
      return List.of();
    }
    try (PreparedStatement update =
        connection.prepareStatement(
            "UPDATE analytics_hourly SET events = events + ? WHERE event = ? AND hour_start = ? AND stripe = ?")) {
      for (Object[] row : rows) {
        update.setLong(1, (Long) row[2]);
        update.setString(2, (String) row[0]);
        update.setObject(3, at((Instant) row[1]));
        update.setInt(4, stripe);
        update.addBatch();
      }
      int[] counts = update.executeBatch();
      List<Object[]> missing = new ArrayList<>();
      for (int i = 0; i < counts.length; i++) {
        if (counts[i] == 0) {
          missing.add(rows.get(i));
        }
      }
      return missing;
    }
  }

  private void link(Connection connection, List<AnalyticsEvent> stored) throws SQLException {
    Map<String, AnalyticsEvent> links = new LinkedHashMap<>();
    for (AnalyticsEvent e : stored) {
      if (e.userId() == null) {
        continue;
      }
      if (e.anonymousId() != null) {
        links.putIfAbsent(e.anonymousId(), e);
      }
      if (e.type().equals("alias")) {
        JsonNode previous = json.readTree(e.payloadJson()).path("previousId");
        if (previous.isString() && !previous.asString().equals(e.userId())) {
          links.putIfAbsent(previous.asString(), e);
        }
      }
    }
    if (links.isEmpty()) {
      return;
    }
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO analytics_identities (anonymous_id, user_id, linked_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
      for (Map.Entry<String, AnalyticsEvent> link : links.entrySet()) {
        insert.setString(1, link.getKey());
        insert.setString(2, link.getValue().userId());
        insert.setObject(3, at(link.getValue().receivedAt()));
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  @Override
  public List<AnalyticsEvent> after(long afterId, Instant receivedBefore, int limit) {
    checkLimit(limit, 10_000);
    UncommittedIds.Read read = uncommitted.open();
    List<AnalyticsEvent> page;
    long bound;
    try {
      page =
          jdbc.sql("SELECT " + COLUMNS + " FROM analytics_events WHERE id > ? ORDER BY id LIMIT ?")
              .params(afterId, limit)
              .query(JdbcAnalyticsEventStore::event)
              .list();
    } finally {
      // Closed whatever happens: an open read would collect every later write.
      bound = uncommitted.close(read, READ_WAIT_MILLIS);
    }
    // Stop below the ids this instance may still commit, and (with a time) at the first event
    // received too recently (for other instances' writes), so a reader never steps past an id it
    // could not see yet.
    List<AnalyticsEvent> settled = new ArrayList<>(page.size());
    for (AnalyticsEvent e : page) {
      if (e.id() >= bound
          || (!receivedBefore.equals(Instant.MAX) && !e.receivedAt().isBefore(receivedBefore))) {
        break;
      }
      settled.add(e);
    }
    return settled;
  }

  @Override
  public List<AnalyticsEvent> latest(int limit) {
    checkLimit(limit, 1_000);
    return jdbc.sql("SELECT " + COLUMNS + " FROM analytics_events ORDER BY id DESC LIMIT ?")
        .params(limit)
        .query(JdbcAnalyticsEventStore::event)
        .list();
  }

  @Override
  public long lastId() {
    // COALESCE: an aggregate over no rows is NULL, which single() refuses.
    return jdbc.sql("SELECT COALESCE(MAX(id), 0) FROM analytics_events").query(Long.class).single();
  }

  @Override
  public List<HourlyCount> hourlyCounts(List<String> events, Instant from, Instant to) {
    Instant start = from.truncatedTo(ChronoUnit.HOURS);
    String filter = events.isEmpty() ? "" : " AND event IN (" + placeholders(events.size()) + ")";
    List<Object> params = new ArrayList<>(List.of(at(start), at(to)));
    params.addAll(events);
    return jdbc.sql(
            "SELECT event, hour_start, SUM(events) FROM analytics_hourly WHERE hour_start >= ? AND hour_start < ?"
                + filter
                + " GROUP BY event, hour_start ORDER BY hour_start, event")
        .params(params)
        .query((rs, row) -> new HourlyCount(rs.getString(1), instant(rs, 2), rs.getLong(3)))
        .list();
  }

  @Override
  public List<AnalyticsEvent> occurrences(
      List<String> events, Instant from, Instant to, int limit) {
    if (events.isEmpty()) {
      return List.of();
    }
    List<Object> params = new ArrayList<>(events);
    params.add(at(from));
    params.add(at(to));
    params.add(limit);
    return jdbc.sql(
            "SELECT "
                + COLUMNS
                + " FROM analytics_events WHERE event IN ("
                + placeholders(events.size())
                + ") AND occurred_at >= ? AND occurred_at < ? ORDER BY occurred_at, id LIMIT ?")
        .params(params)
        .query(JdbcAnalyticsEventStore::event)
        .list();
  }

  @Override
  public Map<String, String> usersOf(List<String> anonymousIds) {
    Map<String, String> users = new LinkedHashMap<>();
    for (int from = 0; from < anonymousIds.size(); from += 500) {
      List<String> chunk = anonymousIds.subList(from, Math.min(anonymousIds.size(), from + 500));
      jdbc.sql(
              "SELECT anonymous_id, user_id FROM analytics_identities WHERE anonymous_id IN ("
                  + placeholders(chunk.size())
                  + ")")
          .params(new ArrayList<Object>(chunk))
          .query((rs, row) -> users.put(rs.getString(1), rs.getString(2)))
          .list();
    }
    return users;
  }

  @Override
  public int deleteBefore(Instant cutoff, long throughId, int limit) {
    // Through the (event, occurred_at) index, one event name at a time and then the rows without
    // one (identify, group, alias): no index on occurred_at alone is kept for this daily job, as
    // every insert would pay for it.
    int deleted = 0;
    String event = null;
    boolean named = true;
    while (deleted < limit) {
      if (named) {
        event = nextEvent(event);
        if (event == null) {
          named = false;
        }
      }
      // Fewer than asked: this name has no more; all asked: the caller calls again.
      deleted += deleteOlder(event, cutoff, throughId, limit - deleted);
      if (!named) {
        break;
      }
    }
    jdbc.sql("DELETE FROM analytics_hourly WHERE hour_start < ?")
        .params(at(cutoff.truncatedTo(ChronoUnit.HOURS)))
        .update();
    return deleted;
  }

  /** The first event name after {@code after} (from the first when null), or null. */
  private String nextEvent(String after) {
    return (after == null
            ? jdbc.sql(
                "SELECT event FROM analytics_events WHERE event IS NOT NULL ORDER BY event LIMIT 1")
            : jdbc.sql("SELECT event FROM analytics_events WHERE event > ? ORDER BY event LIMIT 1")
                .param(after))
        .query(String.class)
        .optional()
        .orElse(null);
  }

  /** Deletes at most {@code limit} rows of one event name (null: no name) older than cutoff. */
  private int deleteOlder(String event, Instant cutoff, long throughId, int limit) {
    String name = event == null ? "event IS NULL" : "event = ?";
    List<Object> params = new ArrayList<>(4);
    if (event != null) {
      params.add(event);
    }
    params.addAll(List.of(at(cutoff), throughId, limit));
    return jdbc.sql(
            "DELETE FROM analytics_events WHERE id IN (SELECT id FROM analytics_events WHERE "
                + name
                + " AND occurred_at < ? AND id <= ? ORDER BY occurred_at LIMIT ?)")
        .params(params)
        .update();
  }

  @Override
  public long countSince(Instant since) {
    // Two-sided, so that a plan made without the value (a server-prepared statement's generic plan)
    // is still a range of the hour index, not a scan of every hour kept.
    Instant from = since.truncatedTo(ChronoUnit.HOURS);
    return jdbc.sql(
            "SELECT COALESCE(SUM(events), 0) FROM analytics_hourly WHERE hour_start >= ? AND hour_start < ?")
        .params(at(from), at(LAST_HOUR))
        .query(Long.class)
        .single();
  }

  private static void checkLimit(int limit, int max) {
    if (limit < 1 || limit > max) {
      throw new IllegalArgumentException("limit must be 1 to " + max);
    }
  }

  private static String placeholders(int n) {
    return String.join(", ", Collections.nCopies(n, "?"));
  }

  private static AnalyticsEvent event(ResultSet rs, int row) throws SQLException {
    return new AnalyticsEvent(
        rs.getLong(1),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        rs.getString(5),
        rs.getString(6),
        rs.getString(7),
        instant(rs, 8),
        instant(rs, 9),
        rs.getString(10));
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  static OffsetDateTime at(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
