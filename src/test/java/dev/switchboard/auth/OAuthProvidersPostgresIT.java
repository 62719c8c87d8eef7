package dev.switchboard.auth;

import dev.switchboard.testing.PostgresTestDatabase;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The OAuth flows again on the machine's PostgreSQL (a fresh schema): flow rows, codes and their
 * single use.
 */
class OAuthProvidersPostgresIT extends OAuthProvidersIT {

  @DynamicPropertySource
  static void postgres(DynamicPropertyRegistry registry) {
    String url = PostgresTestDatabase.freshUrl();
    registry.add("DATABASE_URL", () -> url);
  }
}
