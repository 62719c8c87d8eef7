package dev.switchboard.platform.http;

import dev.switchboard.testing.PostgresTestDatabase;
import java.util.Map;

class JdbcIdempotencyStorePostgresIT extends JdbcIdempotencyStoreContract {

  @Override
  Map<String, String> environment() {
    return Map.of(
        "SWITCHBOARD_DATA_DIR",
        "target/it-data/idempotency-store-pg",
        "DATABASE_URL",
        PostgresTestDatabase.freshUrl());
  }
}
