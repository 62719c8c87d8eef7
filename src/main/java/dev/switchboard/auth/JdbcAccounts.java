package dev.switchboard.auth;

import static dev.switchboard.platform.db.SqlTimes.instant;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;

class JdbcAccounts implements AccountStore {

  private static final String COLUMNS = "id, email, email_verified, name, roles, created_at";

  private final JdbcClient jdbc;
  private final Clock clock;

  JdbcAccounts(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  @Override
  public Optional<Account> find(String id) {
    return accountWhere("id = ?", id);
  }

  @Override
  public Optional<Account> findForUpdate(String id) {
    return accountWhere("id = ? FOR UPDATE", id);
  }

  @Override
  public Optional<Account> findByEmail(String email) {
    return accountWhere("email = ?", email);
  }

  private Optional<Account> accountWhere(String condition, String value) {
    return jdbc.sql("SELECT " + COLUMNS + " FROM accounts WHERE " + condition)
        .param(value)
        .query(JdbcAccounts::account)
        .optional();
  }

  @Override
  public Account create(
      String email,
      boolean emailVerified,
      Optional<String> name,
      Optional<String> passwordHash,
      Set<String> roles) {
    String id = AuthIds.account();
    OffsetDateTime now = now();
    jdbc.sql(
            "INSERT INTO accounts (id, email, email_verified, name, password_hash, roles, created_at, updated_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        .params(
            id,
            email,
            emailVerified,
            name.orElse(null),
            passwordHash.orElse(null),
            roles(roles),
            now,
            now)
        .update();
    return new Account(id, email, emailVerified, name, roles, now.toInstant());
  }

  @Override
  public Optional<String> passwordHash(String accountId) {
    return jdbc.sql("SELECT password_hash FROM accounts WHERE id = ?")
        .param(accountId)
        .query((rs, row) -> Optional.ofNullable(rs.getString(1)))
        .optional()
        .flatMap(h -> h);
  }

  @Override
  public void setPassword(String accountId, Optional<String> passwordHash) {
    jdbc.sql("UPDATE accounts SET password_hash = ?, updated_at = ? WHERE id = ?")
        .params(passwordHash.orElse(null), now(), accountId)
        .update();
  }

  @Override
  public void markVerified(String accountId) {
    jdbc.sql("UPDATE accounts SET email_verified = TRUE, updated_at = ? WHERE id = ?")
        .params(now(), accountId)
        .update();
  }

  @Override
  public void setRoles(String accountId, Set<String> roles) {
    jdbc.sql("UPDATE accounts SET roles = ?, updated_at = ? WHERE id = ?")
        .params(roles(roles), now(), accountId)
        .update();
  }

  @Override
  public Optional<Identity> identity(String provider, String subject) {
    return jdbc.sql("SELECT * FROM identities WHERE provider = ? AND subject = ?")
        .params(provider, subject)
        .query(JdbcAccounts::identity)
        .optional();
  }

  @Override
  public List<Identity> identities(String accountId) {
    return jdbc.sql("SELECT * FROM identities WHERE account_id = ? ORDER BY created_at, provider")
        .param(accountId)
        .query(JdbcAccounts::identity)
        .list();
  }

  @Override
  public void addIdentity(Identity identity) {
    jdbc.sql(
            "INSERT INTO identities (provider, subject, account_id, email, email_verified, created_at) "
                + "VALUES (?, ?, ?, ?, ?, ?)")
        .params(
            identity.provider(),
            identity.subject(),
            identity.accountId(),
            identity.email().orElse(null),
            identity.emailVerified(),
            identity.createdAt().atOffset(ZoneOffset.UTC))
        .update();
  }

  @Override
  public void updateIdentityEmail(
      String provider, String subject, Optional<String> email, boolean emailVerified) {
    jdbc.sql(
            "UPDATE identities SET email = ?, email_verified = ? WHERE provider = ? AND subject = ?")
        .params(email.orElse(null), emailVerified, provider, subject)
        .update();
  }

  @Override
  public void removeIdentity(String provider, String subject) {
    jdbc.sql("DELETE FROM identities WHERE provider = ? AND subject = ?")
        .params(provider, subject)
        .update();
  }

  @Override
  public int removeIdentities(String accountId) {
    jdbc.sql("DELETE FROM oauth_flows WHERE link_account_id = ?").param(accountId).update();
    return jdbc.sql("DELETE FROM identities WHERE account_id = ?").param(accountId).update();
  }

  @Override
  public List<Account> recent(int limit) {
    return jdbc.sql("SELECT " + COLUMNS + " FROM accounts ORDER BY created_at DESC, id LIMIT ?")
        .param(limit)
        .query(JdbcAccounts::account)
        .list();
  }

  private OffsetDateTime now() {
    return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
  }

  static Account account(ResultSet rs, int row) throws SQLException {
    return account(rs, "");
  }

  /**
   * The account columns of table alias {@code alias}, each renamed with {@code prefix}, for a query
   * that reads an account beside other rows (read back with {@link #account(ResultSet, String)}).
   */
  static String prefixedColumns(String alias, String prefix) {
    return Arrays.stream(COLUMNS.split(", "))
        .map(c -> alias + "." + c + " AS " + prefix + c)
        .collect(Collectors.joining(", "));
  }

  static Account account(ResultSet rs, String prefix) throws SQLException {
    return new Account(
        rs.getString(prefix + "id"),
        rs.getString(prefix + "email"),
        rs.getBoolean(prefix + "email_verified"),
        Optional.ofNullable(rs.getString(prefix + "name")),
        roles(rs.getString(prefix + "roles")),
        instant(rs, prefix + "created_at"));
  }

  private static Identity identity(ResultSet rs, int row) throws SQLException {
    return new Identity(
        rs.getString("provider"),
        rs.getString("subject"),
        rs.getString("account_id"),
        Optional.ofNullable(rs.getString("email")),
        rs.getBoolean("email_verified"),
        instant(rs, "created_at"));
  }

  private static Set<String> roles(String column) {
    return Arrays.stream(column.split(","))
        .map(String::trim)
        .filter(r -> !r.isEmpty())
        .collect(Collectors.toSet());
  }

  /** Sorted, so the column reads the same whatever order the set iterates in. */
  private static String roles(Set<String> roles) {
    return String.join(",", new TreeSet<>(roles));
  }
}
