package dev.switchboard.email;

import java.util.Map;
import java.util.UUID;

class EmailStoreH2IT extends EmailStoreContract {

  @Override
  Map<String, String> environment() {
    return Map.of("SWITCHBOARD_DATA_DIR", "target/it-data/email-store-h2-" + UUID.randomUUID());
  }
}
