package dev.switchboard.admin;

import static dev.switchboard.platform.db.SqlTimes.utc;

import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

class JdbcAdminSessionStore implements AdminSessionStore {

  private final JdbcClient jdbc;

  JdbcAdminSessionStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void insert(String tokenHash, String keyId, Instant createdAt, Instant expiresAt) {
    jdbc.sql(
            "INSERT INTO admin_sessions (token_hash, key_id, created_at, expires_at) VALUES (?, ?, ?, ?)")
        .params(tokenHash, keyId, utc(createdAt), utc(expiresAt))
        .update();
  }

  @Override
  public void insertForAccount(
      String tokenHash, String accountId, Instant createdAt, Instant expiresAt) {
    jdbc.sql(
            "INSERT INTO admin_sessions (token_hash, account_id, created_at, expires_at) VALUES (?, ?, ?, ?)")
        .params(tokenHash, accountId, utc(createdAt), utc(expiresAt))
        .update();
  }

  @Override
  public Optional<String> accountIdOf(String tokenHash, Instant now) {
    return jdbc.sql(
            "SELECT account_id FROM admin_sessions WHERE token_hash = ? AND expires_at > ? "
                + "AND account_id IS NOT NULL")
        .params(tokenHash, utc(now))
        .query(String.class)
        .optional();
  }

  @Override
  public Optional<String> keyIdOf(String tokenHash, Instant now) {
    return jdbc.sql(
            "SELECT key_id FROM admin_sessions WHERE token_hash = ? AND expires_at > ? AND key_id IS NOT NULL")
        .params(tokenHash, utc(now))
        .query(String.class)
        .optional();
  }

  @Override
  public void delete(String tokenHash) {
    jdbc.sql("DELETE FROM admin_sessions WHERE token_hash = ?").param(tokenHash).update();
  }

  @Override
  public int deleteForAccount(String accountId) {
    return jdbc.sql("DELETE FROM admin_sessions WHERE account_id = ?").param(accountId).update();
  }

  @Override
  public int deleteExpired(Instant now) {
    return jdbc.sql("DELETE FROM admin_sessions WHERE expires_at <= ?").param(utc(now)).update();
  }
}
