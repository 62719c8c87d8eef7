package dev.switchboard.testing;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Inserts accounts straight into the table, for tests of other areas that need a signed-in user to
 * exist.
 */
public final class TestAccounts {

  private TestAccounts() {}

  /** A verified account with a fresh id and this address; returns the id. */
  public static String create(JdbcClient jdbc, String email) {
    String id = "usr_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    jdbc.sql(
            "INSERT INTO accounts (id, email, email_verified, name, roles, created_at, updated_at) "
                + "VALUES (?, ?, TRUE, ?, '', ?, ?)")
        .params(id, email.toLowerCase(java.util.Locale.ROOT), "Test User", now, now)
        .update();
    return id;
  }
}
