package dev.switchboard.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

class JdbcMailedTokens implements MailedTokens {

  private final JdbcClient jdbc;
  private final Clock clock;

  JdbcMailedTokens(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  @Override
  public String issue(String purpose, String accountId, Duration lifetime) {
    String token = AuthIds.secret();
    OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    jdbc.sql(
            "INSERT INTO auth_tokens (token_hash, purpose, account_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)")
        .params(AuthIds.hash(token), purpose, accountId, now, now.plus(lifetime))
        .update();
    return token;
  }

  @Override
  public Optional<String> consume(String purpose, String token) {
    String hash = AuthIds.hash(token);
    OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    int used =
        jdbc.sql(
                "UPDATE auth_tokens SET used_at = ? WHERE token_hash = ? AND purpose = ? AND used_at IS NULL "
                    + "AND expires_at > ?")
            .params(now, hash, purpose, now)
            .update();
    if (used != 1) {
      return Optional.empty();
    }
    return jdbc.sql("SELECT account_id FROM auth_tokens WHERE token_hash = ?")
        .param(hash)
        .query(String.class)
        .optional();
  }

  @Override
  public void discardAll(String accountId) {
    OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    jdbc.sql("UPDATE auth_tokens SET used_at = ? WHERE account_id = ? AND used_at IS NULL")
        .params(now, accountId)
        .update();
  }
}
