package dev.switchboard.auth;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class JdbcAccounts implements Accounts {

  private final JdbcClient jdbc;

  JdbcAccounts(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public Optional<Account> find(String id) {
    return jdbc.sql("SELECT id, email, email_verified, name, roles, created_at FROM accounts WHERE id = ?")
        .param(id).query(JdbcAccounts::account).optional();
  }

  static Account account(ResultSet rs, int row) throws SQLException {
    return new Account(rs.getString("id"), rs.getString("email"), rs.getBoolean("email_verified"),
        Optional.ofNullable(rs.getString("name")), roles(rs.getString("roles")),
        rs.getObject("created_at", java.time.OffsetDateTime.class).toInstant());
  }

  private static Set<String> roles(String column) {
    return Arrays.stream(column.split(",")).map(String::trim).filter(r -> !r.isEmpty()).collect(Collectors.toSet());
  }
}
