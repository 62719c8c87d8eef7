package dev.switchboard.platform.apikeys;

import static dev.switchboard.platform.db.SqlTimes.instant;
import static dev.switchboard.platform.db.SqlTimes.optionalInstant;
import static dev.switchboard.platform.db.SqlTimes.utc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

/** {@link ApiKeyStore} on the {@code api_keys} table; the same SQL runs on H2 and PostgreSQL. */
public final class JdbcApiKeyStore implements ApiKeyStore {

  private static final String COLUMNS =
      "id, name, prefix, scopes, created_at, last_used_at, revoked_at";

  private final JdbcClient jdbc;

  public JdbcApiKeyStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void insert(ApiKey key, String hash) {
    jdbc.sql(
            "INSERT INTO api_keys (id, name, prefix, key_hash, scopes, created_at) VALUES (?, ?, ?, ?, ?, ?)")
        .params(
            key.id(),
            key.name(),
            key.prefix(),
            hash,
            String.join(",", key.scopes()),
            utc(key.createdAt()))
        .update();
  }

  @Override
  public Optional<Stored> findByHash(String hash) {
    return jdbc.sql("SELECT " + COLUMNS + ", key_hash FROM api_keys WHERE key_hash = ?")
        .param(hash)
        .query((rs, n) -> new Stored(key(rs), rs.getString("key_hash")))
        .optional();
  }

  @Override
  public Optional<ApiKey> findById(String id) {
    return jdbc.sql("SELECT " + COLUMNS + " FROM api_keys WHERE id = ?")
        .param(id)
        .query((rs, n) -> key(rs))
        .optional();
  }

  @Override
  public List<ApiKey> list() {
    return jdbc.sql("SELECT " + COLUMNS + " FROM api_keys ORDER BY created_at, id")
        .query((rs, n) -> key(rs))
        .list();
  }

  @Override
  public boolean revoke(String id, Instant at) {
    jdbc.sql("UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")
        .params(utc(at), id)
        .update();
    return findById(id).isPresent();
  }

  @Override
  public boolean touch(String id, Instant at, Instant notAfter) {
    return jdbc.sql(
                "UPDATE api_keys SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at <= ?)")
            .params(utc(at), id, utc(notAfter))
            .update()
        == 1;
  }

  private static ApiKey key(ResultSet rs) throws SQLException {
    return new ApiKey(
        rs.getString("id"),
        rs.getString("name"),
        rs.getString("prefix"),
        Arrays.stream(rs.getString("scopes").split(",")).filter(s -> !s.isEmpty()).toList(),
        instant(rs, "created_at"),
        optionalInstant(rs, "last_used_at"),
        optionalInstant(rs, "revoked_at"));
  }
}
