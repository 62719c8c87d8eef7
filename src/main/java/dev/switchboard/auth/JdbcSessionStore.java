package dev.switchboard.auth;

import static dev.switchboard.platform.db.SqlTimes.instant;
import static dev.switchboard.platform.db.SqlTimes.optionalInstant;
import static dev.switchboard.platform.db.SqlTimes.utc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

class JdbcSessionStore implements SessionStore {

  private final JdbcClient jdbc;

  JdbcSessionStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void insert(UserSession s) {
    jdbc.sql(
            "INSERT INTO auth_sessions (id, account_id, method, ip_address, user_agent, created_at, last_used_at, "
                + "expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        .params(
            s.id(),
            s.accountId(),
            s.method(),
            s.ipAddress().orElse(null),
            s.userAgent().orElse(null),
            utc(s.createdAt()),
            utc(s.lastUsedAt()),
            utc(s.expiresAt()))
        .update();
  }

  @Override
  public Optional<UserSession> find(String sessionId) {
    return jdbc.sql("SELECT * FROM auth_sessions WHERE id = ?")
        .param(sessionId)
        .query(JdbcSessionStore::session)
        .optional();
  }

  @Override
  public List<UserSession> active(String accountId, Instant now) {
    return jdbc.sql(
            "SELECT * FROM auth_sessions WHERE account_id = ? AND revoked_at IS NULL AND expires_at > ? "
                + "ORDER BY last_used_at DESC, id")
        .params(accountId, utc(now))
        .query(JdbcSessionStore::session)
        .list();
  }

  @Override
  public boolean touch(String sessionId, Instant at, Instant expiresAt, ClientInfo client) {
    return jdbc.sql(
                "UPDATE auth_sessions SET last_used_at = ?, expires_at = ?, ip_address = ?, user_agent = ? "
                    + "WHERE id = ? AND revoked_at IS NULL AND expires_at > ?")
            .params(
                utc(at),
                utc(expiresAt),
                client.ipAddress(),
                clip(client.userAgent()),
                sessionId,
                utc(at))
            .update()
        == 1;
  }

  @Override
  public boolean revoke(String sessionId, Instant at, String why) {
    return jdbc.sql(
                "UPDATE auth_sessions SET revoked_at = ?, revoked_why = ? WHERE id = ? AND revoked_at IS NULL")
            .params(utc(at), why, sessionId)
            .update()
        == 1;
  }

  @Override
  public List<String> revokeAll(String accountId, String keep, Instant at, String why) {
    List<String> ids =
        jdbc
            .sql("SELECT id FROM auth_sessions WHERE account_id = ? AND revoked_at IS NULL")
            .param(accountId)
            .query(String.class)
            .list()
            .stream()
            .filter(id -> !id.equals(keep))
            .toList();
    ids.forEach(id -> revoke(id, at, why));
    return ids;
  }

  @Override
  public void insertToken(String tokenHash, String sessionId, Instant at) {
    jdbc.sql("INSERT INTO refresh_tokens (token_hash, session_id, created_at) VALUES (?, ?, ?)")
        .params(tokenHash, sessionId, utc(at))
        .update();
  }

  @Override
  public Optional<RefreshToken> token(String tokenHash) {
    return jdbc.sql("SELECT * FROM refresh_tokens WHERE token_hash = ?")
        .param(tokenHash)
        .query(
            (rs, row) ->
                new RefreshToken(
                    rs.getString("token_hash"),
                    rs.getString("session_id"),
                    instant(rs, "created_at"),
                    optionalInstant(rs, "rotated_at")))
        .optional();
  }

  @Override
  public Optional<TokenInSession> tokenInSession(String tokenHash) {
    // One round trip for everything a refresh reads: the token, its session and the account the
    // new access token describes (a separate account read was the fifth statement of a refresh).
    return jdbc.sql(
            "SELECT s.*, t.created_at AS token_created_at, t.rotated_at AS token_rotated_at, "
                + JdbcAccounts.prefixedColumns("a", "acct_")
                + " FROM refresh_tokens t JOIN auth_sessions s ON s.id = t.session_id"
                + " LEFT JOIN accounts a ON a.id = s.account_id WHERE t.token_hash = ?")
        .param(tokenHash)
        .query(
            (rs, row) ->
                new TokenInSession(
                    new RefreshToken(
                        tokenHash,
                        rs.getString("id"),
                        instant(rs, "token_created_at"),
                        optionalInstant(rs, "token_rotated_at")),
                    session(rs, row),
                    rs.getString("acct_id") == null
                        ? Optional.empty()
                        : Optional.of(JdbcAccounts.account(rs, "acct_"))))
        .optional();
  }

  @Override
  public boolean markRotated(String tokenHash, Instant at) {
    return jdbc.sql(
                "UPDATE refresh_tokens SET rotated_at = ? WHERE token_hash = ? AND rotated_at IS NULL")
            .params(utc(at), tokenHash)
            .update()
        == 1;
  }

  static String clip(String userAgent) {
    return userAgent == null
        ? null
        : userAgent.length() > 300 ? userAgent.substring(0, 300) : userAgent;
  }

  private static UserSession session(ResultSet rs, int row) throws SQLException {
    return new UserSession(
        rs.getString("id"),
        rs.getString("account_id"),
        rs.getString("method"),
        Optional.ofNullable(rs.getString("ip_address")),
        Optional.ofNullable(rs.getString("user_agent")),
        instant(rs, "created_at"),
        instant(rs, "last_used_at"),
        instant(rs, "expires_at"),
        optionalInstant(rs, "revoked_at"));
  }
}
