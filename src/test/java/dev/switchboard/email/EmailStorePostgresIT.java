package dev.switchboard.email;

import dev.switchboard.testing.PostgresTestDatabase;
import java.util.Map;

class EmailStorePostgresIT extends EmailStoreContract {

  @Override
  Map<String, String> environment() {
    return Map.of(
        "SWITCHBOARD_DATA_DIR",
        "target/it-data/email-store-pg",
        "DATABASE_URL",
        PostgresTestDatabase.freshUrl());
  }
}
