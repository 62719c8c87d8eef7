package dev.switchboard.payments;

import dev.switchboard.platform.integrations.HealthCheck;
import dev.switchboard.platform.integrations.HealthResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The Stripe (and PayPal) box's check: the gateway's own authenticated read (API reachable with the key), whether webhooks can be
 * verified at all, and when the last webhook arrived, which is the first thing to look at when subscriptions do not
 * activate.
 */
final class StripeHealthCheck implements HealthCheck {

  private final Optional<PaymentGateway> gateway;
  private final boolean webhookSecret;
  private final PaymentStore store;
  private final Clock clock;
  private final String provider;

  StripeHealthCheck(Optional<PaymentGateway> gateway, boolean webhookSecret, PaymentStore store, Clock clock,
      String provider) {
    this.provider = provider;
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
    HealthResult api = gateway.get().health();
    Optional<Instant> last = store.lastReceived(provider);
    String detail = api.detail() + "; webhook secret " + (webhookSecret ? "configured" : "missing")
        + "; last webhook " + last.map(at -> ago(Duration.between(at, clock.instant()))).orElse("never");
    if (!webhookSecret) {
      return HealthResult.degraded(detail);
    }
    return new HealthResult(api.status(), detail);
  }

  private static String ago(Duration d) {
    long s = Math.max(0, d.toSeconds());
    return s < 120 ? s + " s ago" : s < 7200 ? s / 60 + " min ago" : s / 3600 + " h ago";
  }
}
