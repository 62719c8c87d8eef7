package dev.switchboard.analytics;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The {@code analytics_destinations} rows: each destination's cursor, counters and lease. Every
 * write after {@link #lease} is conditional on still holding the lease, so an instance that lost it
 * (it stalled past the lease) cannot move a cursor another instance has moved since.
 */
public final class JdbcForwardingStore {

  private static final String PENDING =
      "SELECT COUNT(*) FROM analytics_events WHERE id > ? AND id <= ?";

  private final JdbcClient jdbc;

  public JdbcForwardingStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Creates the destination's row if it has none, with its cursor at {@code startAfter}.
   *
   * @param startAfter 0 to forward every stored event, or the last stored id to forward only what
   *     comes next
   */
  public void ensure(String id, long startAfter, Instant now) {
    if (state(id).isPresent()) {
      return;
    }
    try {
      jdbc.sql("INSERT INTO analytics_destinations (id, cursor_id, created_at) VALUES (?, ?, ?)")
          .params(id, startAfter, ts(now))
          .update();
    } catch (DuplicateKeyException e) {
      // Another instance created it at the same moment.
    }
  }

  /** Takes or renews the lease when it is free, expired or already ours. */
  public boolean lease(String id, String owner, Instant until, Instant now) {
    return jdbc.sql(
                """
        UPDATE analytics_destinations SET lease_owner = ?, lease_until = ?
        WHERE id = ? AND (lease_owner IS NULL OR lease_until < ? OR lease_owner = ?)""")
            .params(owner, ts(until), id, ts(now), owner)
            .update()
        == 1;
  }

  /** Gives the lease back (if still ours). */
  public void release(String id, String owner) {
    jdbc.sql(
            "UPDATE analytics_destinations SET lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ?")
        .params(id, owner)
        .update();
  }

  /**
   * Moves the cursor after a handled batch and renews the lease.
   *
   * @param sent whether the provider accepted a call in this step (ends a run of failures)
   * @return false when the lease is no longer ours; nothing changed then
   */
  public boolean advance(
      String id,
      String owner,
      long cursor,
      int forwarded,
      int failed,
      int skipped,
      boolean sent,
      Instant now,
      Instant leaseUntil) {
    return jdbc.sql(
                """
        UPDATE analytics_destinations SET cursor_id = ?, forwarded = forwarded + ?, failed = failed + ?,
          skipped = skipped + ?, lease_until = ?,
          consecutive_failures = CASE WHEN ? THEN 0 ELSE consecutive_failures END,
          failing_since = CASE WHEN ? THEN NULL ELSE failing_since END,
          last_success_at = CASE WHEN ? THEN ? ELSE last_success_at END
        WHERE id = ? AND lease_owner = ? AND cursor_id < ?""")
            .params(
                cursor,
                forwarded,
                failed,
                skipped,
                ts(leaseUntil),
                sent,
                sent,
                sent,
                ts(now),
                id,
                owner,
                cursor)
            .update()
        == 1;
  }

  /**
   * Records a failed call; the cursor stays, so the same events are sent again.
   *
   * @return the failures in a row, this one included
   */
  public int failure(String id, String owner, String error, Instant now) {
    jdbc.sql(
            """
        UPDATE analytics_destinations SET consecutive_failures = consecutive_failures + 1, last_error = ?,
          failing_since = COALESCE(failing_since, ?)
        WHERE id = ? AND lease_owner = ?""")
        .params(error.length() > 300 ? error.substring(0, 300) : error, ts(now), id, owner)
        .update();
    return state(id).map(DestinationState::consecutiveFailures).orElse(1);
  }

  public Optional<DestinationState> state(String id) {
    return jdbc.sql(
            """
        SELECT id, cursor_id, forwarded, failed, skipped, consecutive_failures, last_error, last_success_at,
          failing_since FROM analytics_destinations WHERE id = ?""")
        .param(id)
        .query(JdbcForwardingStore::row)
        .optional();
  }

  /**
   * The highest event id all these destinations have handled (forwarded, failed or skipped): the
   * lowest of their cursors; 0 when one has no row yet (it will start at the first stored event),
   * {@link Long#MAX_VALUE} for no destination.
   */
  public long handledThrough(Collection<String> ids) {
    long through = Long.MAX_VALUE;
    for (String id : ids) {
      through = Math.min(through, state(id).map(DestinationState::cursor).orElse(0L));
    }
    return through;
  }

  /**
   * Stored events after the cursor: what the destination still has to receive (or skip). Asked as a
   * two-sided range: as a one-sided {@code id > ?}, the plan PostgreSQL may make while the table is
   * small and then keep for the pooled connection (a server-prepared statement's generic plan) is a
   * sequential scan, so a health check of a destination that is caught up would read every stored
   * event.
   */
  public long pending(long cursor) {
    return jdbc.sql(PENDING).param(cursor).param(Long.MAX_VALUE).query(Long.class).single();
  }

  private static DestinationState row(ResultSet rs, int n) throws SQLException {
    return new DestinationState(
        rs.getString("id"),
        rs.getLong("cursor_id"),
        rs.getLong("forwarded"),
        rs.getLong("failed"),
        rs.getLong("skipped"),
        rs.getInt("consecutive_failures"),
        Optional.ofNullable(rs.getString("last_error")),
        instant(rs, "last_success_at"),
        instant(rs, "failing_since"));
  }

  private static Optional<Instant> instant(ResultSet rs, String column) throws SQLException {
    return Optional.ofNullable(rs.getObject(column, OffsetDateTime.class))
        .map(OffsetDateTime::toInstant);
  }

  private static OffsetDateTime ts(Instant at) {
    return OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
  }
}
