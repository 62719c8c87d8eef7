package dev.switchboard.payments;

import java.util.UUID;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The webhook contract on the default H2 file database. */
class PaymentWebhooksIT extends PaymentWebhooksContract {

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    registry.add(
        "SWITCHBOARD_DATA_DIR", () -> "target/it-data/payments-webhooks-" + UUID.randomUUID());
  }
}
