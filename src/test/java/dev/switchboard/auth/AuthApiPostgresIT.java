package dev.switchboard.auth;

import dev.switchboard.testing.PostgresTestDatabase;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole sign-in API again on the machine's PostgreSQL (a fresh schema), so every query runs on
 * both databases.
 */
class AuthApiPostgresIT extends AuthApiIT {

  @DynamicPropertySource
  static void postgres(DynamicPropertyRegistry registry) {
    String url = PostgresTestDatabase.freshUrl();
    registry.add("DATABASE_URL", () -> url);
  }
}
