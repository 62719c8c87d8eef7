package dev.switchboard.platform.http;

import java.util.Map;
import java.util.UUID;

class JdbcIdempotencyStoreH2IT extends JdbcIdempotencyStoreContract {

  @Override
  Map<String, String> environment() {
    return Map.of(
        "SWITCHBOARD_DATA_DIR", "target/it-data/idempotency-store-h2-" + UUID.randomUUID());
  }
}
