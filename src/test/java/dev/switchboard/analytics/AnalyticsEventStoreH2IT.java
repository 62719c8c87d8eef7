package dev.switchboard.analytics;

import java.util.Map;
import java.util.UUID;

class AnalyticsEventStoreH2IT extends AnalyticsEventStoreContract {

  @Override
  Map<String, String> environment() {
    return Map.of("SWITCHBOARD_DATA_DIR", "target/it-data/analytics-store-h2-" + UUID.randomUUID());
  }
}
