package dev.switchboard.analytics;

import dev.switchboard.testing.PostgresTestDatabase;
import java.util.Map;

class AnalyticsEventStorePostgresIT extends AnalyticsEventStoreContract {

  @Override
  Map<String, String> environment() {
    return Map.of(
        "SWITCHBOARD_DATA_DIR",
        "target/it-data/analytics-store-pg",
        "DATABASE_URL",
        PostgresTestDatabase.freshUrl());
  }
}
