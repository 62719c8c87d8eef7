package dev.switchboard.payments;

import dev.switchboard.testing.PostgresTestDatabase;
import java.util.UUID;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The webhook contract on the machine's PostgreSQL (a fresh database). */
class PaymentWebhooksPostgresIT extends PaymentWebhooksContract {

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    String url = PostgresTestDatabase.freshUrl();
    registry.add("DATABASE_URL", () -> url);
    registry.add(
        "SWITCHBOARD_DATA_DIR", () -> "target/it-data/payments-webhooks-pg-" + UUID.randomUUID());
  }
}
