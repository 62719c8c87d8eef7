package dev.switchboard.payments.stripe;

import dev.switchboard.payments.PaymentGateway;
import dev.switchboard.payments.PaymentHealth;
import dev.switchboard.payments.PaymentStore;
import dev.switchboard.platform.integrations.HealthCheck;
import dev.switchboard.platform.integrations.HealthResult;
import java.time.Clock;
import java.util.Optional;

/**
 * The Stripe box's check: {@code GET /v1/balance} with the key (or the dev checkout's own answer),
 * whether a webhook signing secret is configured, and when the last Stripe webhook arrived. Each
 * problem names the Stripe variable.
 */
public final class StripeHealthCheck implements HealthCheck {

  private final Optional<PaymentGateway> gateway;
  private final boolean webhookSecret;
  private final PaymentStore store;
  private final Clock clock;

  /**
   * @param gateway Stripe's, or the dev checkout's; empty when payments are off (production without
   *     a key)
   */
  public StripeHealthCheck(
      Optional<PaymentGateway> gateway, boolean webhookSecret, PaymentStore store, Clock clock) {
    this.gateway = gateway;
    this.webhookSecret = webhookSecret;
    this.store = store;
    this.clock = clock;
  }

  @Override
  public HealthResult check() throws Exception {
    if (gateway.isEmpty()) {
      return HealthResult.degraded("payments off: set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET");
    }
    return PaymentHealth.of(
        gateway.get().health(),
        webhookSecret
            ? Optional.empty()
            : Optional.of("webhook secret missing: set STRIPE_WEBHOOK_SECRET"),
        store.lastReceived(StripeEventProcessor.PROVIDER),
        clock.instant());
  }
}
