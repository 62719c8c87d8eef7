package dev.switchboard.payments.paypal;

import dev.switchboard.payments.PaymentGateway;
import dev.switchboard.payments.PaymentHealth;
import dev.switchboard.payments.PaymentStore;
import dev.switchboard.platform.integrations.HealthCheck;
import dev.switchboard.platform.integrations.HealthResult;
import java.time.Clock;
import java.util.Optional;

/**
 * The PayPal box's check: an OAuth2 token from PayPal with the client credentials, whether {@code
 * PAYPAL_WEBHOOK_ID} is set (without it no PayPal webhook can be verified), and when the last
 * PayPal webhook arrived.
 */
public final class PayPalHealthCheck implements HealthCheck {

  private final PaymentGateway gateway;
  private final boolean webhookId;
  private final PaymentStore store;
  private final Clock clock;

  public PayPalHealthCheck(
      PaymentGateway gateway, boolean webhookId, PaymentStore store, Clock clock) {
    this.gateway = gateway;
    this.webhookId = webhookId;
    this.store = store;
    this.clock = clock;
  }

  @Override
  public HealthResult check() throws Exception {
    return PaymentHealth.of(
        gateway.health(),
        webhookId ? Optional.empty() : Optional.of("webhook id missing: set PAYPAL_WEBHOOK_ID"),
        store.lastReceived(PayPalEventProcessor.PROVIDER),
        clock.instant());
  }
}
