package dev.switchboard.payments.paypal;

import static dev.switchboard.payments.PaymentsTestKit.CLOCK;
import static dev.switchboard.payments.PaymentsTestKit.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.payments.FakePaymentStore;
import dev.switchboard.payments.PaymentGateway;
import dev.switchboard.payments.ReceivedEvent;
import dev.switchboard.platform.integrations.HealthResult;
import dev.switchboard.platform.integrations.HealthStatus;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PayPalHealthCheckTest {

  final FakePaymentStore store = new FakePaymentStore();

  static PaymentGateway gateway(HealthResult health) {
    return new PaymentGateway() {
      @Override
      public String id() {
        return "paypal";
      }

      @Override
      public CheckoutSession checkout(CheckoutRequest request) {
        throw new UnsupportedOperationException();
      }

      @Override
      public String portal(String customerId, URI returnUrl, String idempotencyKey) {
        throw new UnsupportedOperationException();
      }

      @Override
      public HealthResult health() {
        return health;
      }
    };
  }

  @Test
  void checkWhenTokenIssuedAndWebhookIdSetThenUpWithTheLastPayPalWebhook() throws Exception {
    store.insertEvent(
        new ReceivedEvent("paypal", "WH-1", "PAYMENT.SALE.COMPLETED", T0, "{}"),
        Optional.empty(),
        T0.minusSeconds(600));
    store.insertEvent(
        new ReceivedEvent("stripe", "evt_1", "invoice.paid", T0, "{}"), Optional.empty(), T0);

    HealthResult result =
        new PayPalHealthCheck(gateway(HealthResult.up("OAuth2 token issued")), true, store, CLOCK)
            .check();

    assertThat(result.status()).isEqualTo(HealthStatus.UP);
    assertThat(result.detail()).contains("OAuth2 token issued").contains("last webhook 10 min ago");
  }

  @Test
  void checkWhenWebhookIdMissingThenDegradedNamingPayPalsVariableNotStripes() throws Exception {
    HealthResult result =
        new PayPalHealthCheck(gateway(HealthResult.up("OAuth2 token issued")), false, store, CLOCK)
            .check();

    assertThat(result.status()).isEqualTo(HealthStatus.DEGRADED);
    assertThat(result.detail()).contains("PAYPAL_WEBHOOK_ID").doesNotContain("STRIPE");
  }

  @Test
  void checkWhenTokenRefusedThenItsStatus() throws Exception {
    HealthResult result =
        new PayPalHealthCheck(gateway(HealthResult.down("401 invalid_client")), true, store, CLOCK)
            .check();

    assertThat(result.status()).isEqualTo(HealthStatus.DOWN);
    assertThat(result.detail()).contains("invalid_client").doesNotContain("STRIPE");
  }
}
