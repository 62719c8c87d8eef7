package dev.switchboard.auth;

import static dev.switchboard.platform.db.SqlTimes.instant;
import static dev.switchboard.platform.db.SqlTimes.optionalInstant;
import static dev.switchboard.platform.db.SqlTimes.utc;

import dev.switchboard.platform.db.SqlTimes;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;

class JdbcSigningKeyStore implements SigningKeyStore {

  private final JdbcClient jdbc;

  JdbcSigningKeyStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void lock() {
    jdbc.sql("SELECT id FROM signing_key_lock WHERE id = 1 FOR UPDATE")
        .query(Integer.class)
        .single();
  }

  @Override
  public List<SigningKey> live(Instant retiredAfter) {
    return jdbc.sql(
            "SELECT * FROM signing_keys WHERE status <> 'retired' OR retired_at > ? ORDER BY created_at, kid")
        .param(utc(retiredAfter))
        .query(JdbcSigningKeyStore::key)
        .list();
  }

  @Override
  public void insert(SigningKey key) {
    jdbc.sql(
            "INSERT INTO signing_keys (kid, status, public_jwk, private_sealed, created_at, activated_at, retired_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?)")
        .params(
            key.kid(),
            key.status(),
            key.publicJwk(),
            key.privateSealed(),
            utc(key.createdAt()),
            key.activatedAt().map(SqlTimes::utc).orElse(null),
            key.retiredAt().map(SqlTimes::utc).orElse(null))
        .update();
  }

  @Override
  public void move(String kid, String status, Instant at) {
    String column = status.equals(SigningKey.ACTIVE) ? "activated_at" : "retired_at";
    jdbc.sql("UPDATE signing_keys SET status = ?, " + column + " = ? WHERE kid = ?")
        .params(status, utc(at), kid)
        .update();
  }

  private static SigningKey key(ResultSet rs, int row) throws SQLException {
    return new SigningKey(
        rs.getString("kid"),
        rs.getString("status"),
        rs.getString("public_jwk"),
        rs.getString("private_sealed"),
        instant(rs, "created_at"),
        optionalInstant(rs, "activated_at"),
        optionalInstant(rs, "retired_at"));
  }
}
