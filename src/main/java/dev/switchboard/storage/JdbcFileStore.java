package dev.switchboard.storage;

import static dev.switchboard.platform.db.SqlTimes.instant;
import static dev.switchboard.platform.db.SqlTimes.optionalInstant;
import static dev.switchboard.platform.db.SqlTimes.utc;

import dev.switchboard.platform.db.GroupCommit;
import dev.switchboard.platform.db.GroupCommits;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@link FileStore} on the application database (H2 or PostgreSQL): {@code files} and {@code
 * file_tombstones}. New pending files (presign) of concurrent requests share one commit ({@link
 * GroupCommit}).
 */
public final class JdbcFileStore implements FileStore {

  private static final String COLUMNS =
      "id, owner, object_key, filename, content_type, size_bytes, status,"
          + " detected_type, reject_reason, created_at, completed_at";
  private static final int REASON_LENGTH = 300;

  private final JdbcClient jdbc;
  private final JdbcTemplate template;
  private final TransactionTemplate transactions;
  private final GroupCommit<StoredFile, StoredFile> inserts;

  public JdbcFileStore(
      JdbcClient jdbc, JdbcTemplate template, PlatformTransactionManager transactions) {
    this(jdbc, template, transactions, GroupCommits.of(transactions));
  }

  /**
   * @param template for the multi-row inserts of grouped presigns, on the transaction's connection
   */
  public JdbcFileStore(
      JdbcClient jdbc,
      JdbcTemplate template,
      PlatformTransactionManager transactions,
      GroupCommits commits) {
    this.jdbc = jdbc;
    this.template = template;
    this.transactions = new TransactionTemplate(transactions);
    this.inserts =
        commits.lane(
            "files",
            files -> {
              insertRows(files);
              return files;
            });
  }

  @Override
  public void insert(StoredFile f) {
    inserts.write(f);
  }

  /**
   * A group of presigns as multi-row statements of 2^i rows (the largest that fits first): one
   * statement carries the group where a JDBC batch of one-row inserts paid a statement per row (on
   * PostgreSQL a server round of parse, bind and execute each), and a handful of statement shapes
   * stay in the statement caches. Parameters bound straight on the transaction's connection, in the
   * columns' order: no named-parameter parsing or parameter maps per row.
   */
  private void insertRows(List<StoredFile> files) {
    template.execute(
        (ConnectionCallback<Void>)
            connection -> {
              int at = 0;
              while (at < files.size()) {
                int rows =
                    Integer.highestOneBit(Math.min(files.size() - at, MAX_ROWS_PER_STATEMENT));
                insertRows(connection, files.subList(at, at + rows));
                at += rows;
              }
              return null;
            });
  }

  private static void insertRows(Connection connection, List<StoredFile> rows) throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(INSERTS[Integer.numberOfTrailingZeros(rows.size())])) {
      int p = 0;
      for (StoredFile f : rows) {
        insert.setString(++p, f.id());
        insert.setString(++p, f.owner());
        insert.setString(++p, f.key());
        insert.setString(++p, f.filename());
        insert.setString(++p, f.contentType());
        insert.setLong(++p, f.size());
        insert.setString(++p, f.status().id());
        insert.setObject(++p, utc(f.createdAt()));
      }
      int inserted = insert.executeUpdate();
      if (inserted != rows.size()) {
        throw new IllegalStateException(
            "inserted " + inserted + " of " + rows.size() + " new files");
      }
    }
  }

  /** Rows per INSERT statement at most (8 parameters a row). */
  static final int MAX_ROWS_PER_STATEMENT = 256;

  /** The INSERT of 2^i rows, at index i. */
  private static final String[] INSERTS = inserts();

  private static String[] inserts() {
    String[] sql = new String[Integer.numberOfTrailingZeros(MAX_ROWS_PER_STATEMENT) + 1];
    for (int i = 0; i < sql.length; i++) {
      sql[i] =
          "INSERT INTO files (id, owner, object_key, filename, content_type, size_bytes, status,"
              + " created_at) VALUES "
              + String.join(", ", Collections.nCopies(1 << i, "(?, ?, ?, ?, ?, ?, ?, ?)"));
    }
    return sql;
  }

  @Override
  public Optional<StoredFile> find(String id) {
    return jdbc.sql("SELECT " + COLUMNS + " FROM files WHERE id = :id")
        .param("id", id)
        .query(JdbcFileStore::file)
        .optional();
  }

  @Override
  public boolean finish(
      String id,
      FileStatus status,
      Optional<String> detectedType,
      Optional<String> reason,
      Instant at) {
    return jdbc.sql(
                "UPDATE files SET status = :status, detected_type = :detected, reject_reason = :reason,"
                    + " completed_at = :at WHERE id = :id AND status = 'pending'")
            .param("status", status.id())
            .param("detected", detectedType.orElse(null))
            .param(
                "reason",
                reason
                    .map(r -> r.length() > REASON_LENGTH ? r.substring(0, REASON_LENGTH) : r)
                    .orElse(null))
            .param("at", utc(at))
            .param("id", id)
            .update()
        == 1;
  }

  @Override
  public boolean reject(
      String id,
      Optional<String> detectedType,
      String reason,
      Instant at,
      Optional<Sweeps> sweeps) {
    return Boolean.TRUE.equals(
        transactions.execute(
            tx -> {
              sweeps.ifPresent(s -> rememberKey(id, s));
              if (finish(id, FileStatus.REJECTED, detectedType, Optional.of(reason), at)) {
                return true;
              }
              tx.setRollbackOnly();
              return false;
            }));
  }

  @Override
  public boolean delete(String id, Optional<Sweeps> sweeps) {
    return Boolean.TRUE.equals(
        transactions.execute(
            tx -> {
              sweeps.ifPresent(s -> rememberKey(id, s));
              if (jdbc.sql("DELETE FROM files WHERE id = :id").param("id", id).update() == 1) {
                return true;
              }
              tx.setRollbackOnly();
              return false;
            }));
  }

  /** The key from the row itself, so nothing but an existing file's key can be remembered. */
  private void rememberKey(String id, Sweeps sweeps) {
    // ON CONFLICT rather than catching the violation: on PostgreSQL a failed statement aborts the
    // transaction. A
    // rejected file deleted later is remembered once, with the sweeps of its rejection.
    jdbc.sql(
            "INSERT INTO file_tombstones (object_key, next_sweep_at, last_sweep_at)"
                + " SELECT object_key, :first, :last FROM files WHERE id = :id ON CONFLICT DO NOTHING")
        .param("first", utc(sweeps.first()))
        .param("last", utc(sweeps.last()))
        .param("id", id)
        .update();
  }

  @Override
  public boolean delete(String id, FileStatus status) {
    return jdbc.sql("DELETE FROM files WHERE id = :id AND status = :status")
            .param("id", id)
            .param("status", status.id())
            .update()
        == 1;
  }

  @Override
  public List<StoredFile> page(Optional<String> owner, Optional<Cursor> after, int limit) {
    StringBuilder sql =
        new StringBuilder("SELECT ").append(COLUMNS).append(" FROM files WHERE 1 = 1");
    owner.ifPresent(o -> sql.append(" AND owner = :owner"));
    after.ifPresent(c -> sql.append(" AND (created_at < :at OR (created_at = :at AND id < :id))"));
    sql.append(" ORDER BY created_at DESC, id DESC LIMIT :limit");
    JdbcClient.StatementSpec statement = jdbc.sql(sql.toString()).param("limit", limit);
    if (owner.isPresent()) {
      statement = statement.param("owner", owner.get());
    }
    if (after.isPresent()) {
      statement = statement.param("at", utc(after.get().createdAt())).param("id", after.get().id());
    }
    return statement.query(JdbcFileStore::file).list();
  }

  @Override
  public List<StoredFile> olderThan(FileStatus status, Instant before, int limit) {
    return jdbc.sql(
            "SELECT "
                + COLUMNS
                + " FROM files WHERE status = :status AND created_at < :before"
                + " ORDER BY created_at LIMIT :limit")
        .param("status", status.id())
        .param("before", utc(before))
        .param("limit", limit)
        .query(JdbcFileStore::file)
        .list();
  }

  @Override
  public List<Tombstone> tombstonesDue(Instant now, int limit) {
    return jdbc.sql(
            "SELECT object_key, last_sweep_at FROM file_tombstones WHERE next_sweep_at < :now"
                + " ORDER BY next_sweep_at LIMIT :limit")
        .param("now", utc(now))
        .param("limit", limit)
        .query((rs, row) -> new Tombstone(rs.getString("object_key"), instant(rs, "last_sweep_at")))
        .list();
  }

  @Override
  public void postponeTombstone(String key, Instant to) {
    jdbc.sql("UPDATE file_tombstones SET next_sweep_at = :to WHERE object_key = :key")
        .param("to", utc(to))
        .param("key", key)
        .update();
  }

  @Override
  public void forgetTombstone(String key) {
    jdbc.sql("DELETE FROM file_tombstones WHERE object_key = :key").param("key", key).update();
  }

  @Override
  public long count(FileStatus status) {
    return jdbc.sql("SELECT COUNT(*) FROM files WHERE status = :status")
        .param("status", status.id())
        .query(Long.class)
        .single();
  }

  private static StoredFile file(ResultSet rs, int row) throws SQLException {
    return new StoredFile(
        rs.getString("id"),
        rs.getString("owner"),
        rs.getString("object_key"),
        rs.getString("filename"),
        rs.getString("content_type"),
        rs.getLong("size_bytes"),
        FileStatus.of(rs.getString("status")),
        Optional.ofNullable(rs.getString("detected_type")),
        Optional.ofNullable(rs.getString("reject_reason")),
        instant(rs, "created_at"),
        optionalInstant(rs, "completed_at"));
  }
}
