package dev.switchboard.auth;

import static dev.switchboard.platform.db.SqlTimes.instant;
import static dev.switchboard.platform.db.SqlTimes.utc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The flow and code tables on H2 or PostgreSQL. Single use is a DELETE whose row count decides the
 * winner.
 */
class JdbcOAuthFlowStore implements OAuthFlowStore {

  private final JdbcClient jdbc;

  JdbcOAuthFlowStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void insertFlow(OAuthFlow f) {
    jdbc.sql(
            "INSERT INTO oauth_flows (state_hash, provider, redirect_to, code_verifier, nonce, app_challenge, "
                + "link_account_id, attempt, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .params(
            f.stateHash(),
            f.provider(),
            f.redirectTo(),
            f.codeVerifier(),
            f.nonce(),
            f.appChallenge().orElse(null),
            f.linkAccountId().orElse(null),
            f.attempt(),
            utc(f.createdAt()),
            utc(f.expiresAt()))
        .update();
  }

  @Override
  public Optional<OAuthFlow> findFlow(String stateHash) {
    return jdbc.sql("SELECT * FROM oauth_flows WHERE state_hash = ?")
        .param(stateHash)
        .query(JdbcOAuthFlowStore::flow)
        .optional();
  }

  @Override
  public boolean claimFlow(String stateHash) {
    return jdbc.sql("DELETE FROM oauth_flows WHERE state_hash = ?").param(stateHash).update() == 1;
  }

  @Override
  public void insertCode(
      String codeHash,
      String accountId,
      String method,
      Optional<String> appChallenge,
      Instant createdAt,
      Instant expiresAt) {
    jdbc.sql(
            "INSERT INTO oauth_codes (code_hash, account_id, method, app_challenge, created_at, expires_at) "
                + "VALUES (?, ?, ?, ?, ?, ?)")
        .params(
            codeHash, accountId, method, appChallenge.orElse(null), utc(createdAt), utc(expiresAt))
        .update();
  }

  @Override
  public void insertLinkCode(
      String codeHash,
      String accountId,
      ProviderProfile profile,
      Instant createdAt,
      Instant expiresAt) {
    jdbc.sql(
            "INSERT INTO oauth_codes (code_hash, account_id, method, link_subject, link_email, link_email_verified, "
                + "created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        .params(
            codeHash,
            accountId,
            profile.provider(),
            profile.subject(),
            profile.email().orElse(null),
            profile.emailVerified(),
            utc(createdAt),
            utc(expiresAt))
        .update();
  }

  @Override
  public Optional<IssuedCode> claimCode(String codeHash, Instant now) {
    Optional<IssuedCode> code =
        jdbc.sql(
                "SELECT account_id, method, app_challenge, link_subject, link_email, "
                    + "link_email_verified FROM oauth_codes WHERE code_hash = ? AND expires_at > ?")
            .params(codeHash, utc(now))
            .query(JdbcOAuthFlowStore::issuedCode)
            .optional();
    // Deleted whether or not it was still valid, so an expired code is gone too; only the deleter
    // may use it.
    boolean won =
        jdbc.sql("DELETE FROM oauth_codes WHERE code_hash = ?").param(codeHash).update() == 1;
    return won ? code : Optional.empty();
  }

  @Override
  public int deleteExpired(Instant now) {
    return jdbc.sql("DELETE FROM oauth_flows WHERE expires_at <= ?").param(utc(now)).update()
        + jdbc.sql("DELETE FROM oauth_codes WHERE expires_at <= ?").param(utc(now)).update();
  }

  private static OAuthFlow flow(ResultSet rs, int row) throws SQLException {
    return new OAuthFlow(
        rs.getString("state_hash"),
        rs.getString("provider"),
        rs.getString("redirect_to"),
        rs.getString("code_verifier"),
        rs.getString("nonce"),
        Optional.ofNullable(rs.getString("app_challenge")),
        Optional.ofNullable(rs.getString("link_account_id")),
        rs.getInt("attempt"),
        instant(rs, "created_at"),
        instant(rs, "expires_at"));
  }

  private static IssuedCode issuedCode(ResultSet rs, int row) throws SQLException {
    String provider = rs.getString("method");
    String subject = rs.getString("link_subject");
    Optional<ProviderProfile> link =
        subject == null
            ? Optional.empty()
            : Optional.of(
                new ProviderProfile(
                    provider,
                    subject,
                    Optional.ofNullable(rs.getString("link_email")),
                    rs.getBoolean("link_email_verified"),
                    Optional.empty()));
    return new IssuedCode(
        rs.getString("account_id"),
        provider,
        Optional.ofNullable(rs.getString("app_challenge")),
        link);
  }
}
