package dev.switchboard.platform.http;

import static dev.switchboard.platform.db.SqlTimes.instant;
import static dev.switchboard.platform.db.SqlTimes.utc;

import dev.switchboard.platform.ids.Ids;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Keys in the {@code idempotency_keys} table (H2 and PostgreSQL). A claim is an {@code INSERT … ON
 * CONFLICT DO NOTHING}: the primary key lets exactly one racing instance in. Taking over a released
 * key is a compare-and-set on the row's owner token, so two instances cannot both take over the
 * same stale row, and the late first owner can no longer complete or release it. A running
 * request's claim lasts {@link #IN_FLIGHT_EXPIRY} from the later of its creation and its last
 * {@link #renew renewal} ({@code heartbeat_at}).
 */
public class JdbcIdempotencyStore implements IdempotencyStore {

  private static final String IN_FLIGHT = "in_flight";
  private static final String COMPLETED = "completed";
  private static final int ATTEMPTS = 5;

  private final JdbcClient jdbc;

  public JdbcIdempotencyStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  private record Row(
      String hash,
      String state,
      String owner,
      Integer status,
      String contentType,
      byte[] body,
      Instant createdAt,
      Instant heartbeatAt) {}

  @Override
  public IdempotencyClaim claim(String callerId, String key, String requestHash, Instant now) {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      String token = Ids.uuid().toString();
      int inserted =
          jdbc.sql(
                  """
              INSERT INTO idempotency_keys (caller_id, idempotency_key, request_hash, state, owner_token, created_at)
              VALUES (?, ?, ?, 'in_flight', ?, ?) ON CONFLICT DO NOTHING""")
              .params(callerId, key, requestHash, token, utc(now))
              .update();
      if (inserted == 1) {
        return new IdempotencyClaim.Started(token);
      }
      Optional<Row> found = find(callerId, key);
      if (found.isEmpty()) {
        continue; // released between our insert and read: try again
      }
      Row row = found.get();
      if (isFree(row, now)) {
        if (takeOver(callerId, key, row.owner(), requestHash, token, now)) {
          return new IdempotencyClaim.Started(token);
        }
        continue;
      }
      if (!row.hash().equals(requestHash)) {
        return new IdempotencyClaim.Mismatch();
      }
      if (IN_FLIGHT.equals(row.state())) {
        return new IdempotencyClaim.InFlight();
      }
      return new IdempotencyClaim.Replay(
          new StoredResponse(row.status(), row.contentType(), row.body()));
    }
    // Others keep claiming and releasing this key right now; answer as if one of them is still
    // running.
    return new IdempotencyClaim.InFlight();
  }

  private static boolean isFree(Row row, Instant now) {
    boolean expired = !row.createdAt().isAfter(now.minus(RETENTION));
    Instant lastSign =
        row.heartbeatAt() == null || row.heartbeatAt().isBefore(row.createdAt())
            ? row.createdAt()
            : row.heartbeatAt();
    boolean abandoned =
        IN_FLIGHT.equals(row.state()) && !lastSign.isAfter(now.minus(IN_FLIGHT_EXPIRY));
    return expired || abandoned;
  }

  private boolean takeOver(
      String callerId, String key, String previousOwner, String hash, String token, Instant now) {
    return jdbc.sql(
                """
            UPDATE idempotency_keys
            SET request_hash = ?, state = 'in_flight', owner_token = ?, status_code = NULL, content_type = NULL,
                body = NULL, created_at = ?, completed_at = NULL, heartbeat_at = NULL
            WHERE caller_id = ? AND idempotency_key = ? AND owner_token = ?""")
            .params(hash, token, utc(now), callerId, key, previousOwner)
            .update()
        == 1;
  }

  @Override
  public boolean complete(
      String callerId, String key, String token, StoredResponse response, Instant now) {
    return jdbc.sql(
                """
            UPDATE idempotency_keys
            SET state = 'completed', status_code = ?, content_type = ?, body = ?, completed_at = ?
            WHERE caller_id = ? AND idempotency_key = ? AND owner_token = ? AND state = 'in_flight'""")
            .params(
                response.status(),
                response.contentType(),
                response.body(),
                utc(now),
                callerId,
                key,
                token)
            .update()
        == 1;
  }

  @Override
  public int renew(Collection<String> tokens, Instant now) {
    if (tokens.isEmpty()) {
      return 0;
    }
    return jdbc.sql(
            "UPDATE idempotency_keys SET heartbeat_at = :now WHERE owner_token IN (:tokens)"
                + " AND state = 'in_flight'")
        .param("now", utc(now))
        .param("tokens", tokens)
        .update();
  }

  @Override
  public void release(String callerId, String key, String token) {
    jdbc.sql(
            """
            DELETE FROM idempotency_keys
            WHERE caller_id = ? AND idempotency_key = ? AND owner_token = ? AND state = 'in_flight'""")
        .params(callerId, key, token)
        .update();
  }

  @Override
  public int deleteCreatedBefore(Instant cutoff) {
    return jdbc.sql("DELETE FROM idempotency_keys WHERE created_at < ?")
        .param(utc(cutoff))
        .update();
  }

  private Optional<Row> find(String callerId, String key) {
    return jdbc.sql(
            """
            SELECT request_hash, state, owner_token, status_code, content_type, body, created_at, heartbeat_at
            FROM idempotency_keys WHERE caller_id = ? AND idempotency_key = ?""")
        .params(callerId, key)
        .query(JdbcIdempotencyStore::row)
        .optional();
  }

  private static Row row(ResultSet rs, int rowNum) throws SQLException {
    int status = rs.getInt("status_code");
    OffsetDateTime heartbeat = rs.getObject("heartbeat_at", OffsetDateTime.class);
    return new Row(
        rs.getString("request_hash"),
        rs.getString("state"),
        rs.getString("owner_token"),
        rs.wasNull() ? null : status,
        rs.getString("content_type"),
        rs.getBytes("body"),
        instant(rs, "created_at"),
        heartbeat == null ? null : heartbeat.toInstant());
  }
}
