package dev.switchboard.auth;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
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
        .param(retiredAfter.atOffset(ZoneOffset.UTC))
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
            key.activatedAt().map(JdbcSigningKeyStore::utc).orElse(null),
            key.retiredAt().map(JdbcSigningKeyStore::utc).orElse(null))
        .update();
  }

  @Override
  public void move(String kid, String status, Instant at) {
    String column = status.equals(SigningKey.ACTIVE) ? "activated_at" : "retired_at";
    jdbc.sql("UPDATE signing_keys SET status = ?, " + column + " = ? WHERE kid = ?")
        .params(status, utc(at), kid)
        .update();
  }

  private static OffsetDateTime utc(Instant at) {
    return at.atOffset(ZoneOffset.UTC);
  }

  private static SigningKey key(ResultSet rs, int row) throws SQLException {
    return new SigningKey(
        rs.getString("kid"),
        rs.getString("status"),
        rs.getString("public_jwk"),
        rs.getString("private_sealed"),
        rs.getObject("created_at", OffsetDateTime.class).toInstant(),
        Optional.ofNullable(rs.getObject("activated_at", OffsetDateTime.class))
            .map(OffsetDateTime::toInstant),
        Optional.ofNullable(rs.getObject("retired_at", OffsetDateTime.class))
            .map(OffsetDateTime::toInstant));
  }
}
