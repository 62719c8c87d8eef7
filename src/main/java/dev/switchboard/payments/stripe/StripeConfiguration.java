package dev.switchboard.payments.stripe;

import dev.switchboard.payments.PaymentGateway;
import dev.switchboard.payments.PaymentStore;
import dev.switchboard.payments.PaymentsConfig;
import dev.switchboard.payments.PaymentsConfiguration;
import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.platform.integrations.Integration;
import dev.switchboard.platform.ratelimit.RateLimiter;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Stripe: the gateway when {@code STRIPE_SECRET_KEY} is set; the event processor always (the dev
 * checkout sends Stripe-format events through it), and the {@code payments.stripe} box. The webhook
 * verifier is built by the area from {@link StripeWebhookSecrets}, which the dev checkout may
 * supply.
 */
@Import({StripeEventProcessor.class})
@Configuration(proxyBeanMethods = false)
public class StripeConfiguration {

  /**
   * None without {@code STRIPE_SECRET_KEY} ({@code null} leaves no bean): decided here, not by a
   * condition, which Spring AOT would answer once at build time.
   */
  @Bean
  PaymentGateway stripePaymentGateway(SwitchboardConfig config, RateLimiter limiter) {
    PaymentsConfig payments = config.area(PaymentsConfig.class);
    if (payments.stripeSecretKey().isEmpty()) {
      return null;
    }
    return new StripePaymentGateway(
        payments.stripeSecretKey().orElseThrow(),
        payments.endpoints().stripe(),
        payments.stripeApiVersion(),
        limiter,
        payments.rateLimit());
  }

  @Bean
  Integration stripeIntegration(
      SwitchboardConfig config,
      ObjectProvider<PaymentGateway> gateways,
      StripeWebhookSecrets secrets,
      PaymentStore store,
      Clock clock) {
    PaymentsConfig payments = config.area(PaymentsConfig.class);
    // Stripe's gateway, or the dev checkout standing in for it.
    PaymentGateway gateway =
        gateways.orderedStream().filter(g -> !g.id().equals("paypal")).findFirst().orElse(null);
    Map<String, String> shown = new LinkedHashMap<>();
    payments.stripeSecretKey().ifPresent(k -> shown.put("STRIPE_SECRET_KEY", k.masked()));
    payments.stripePublishableKey().ifPresent(k -> shown.put("STRIPE_PUBLISHABLE_KEY", k));
    shown.put(
        "STRIPE_WEBHOOK_SECRET",
        secrets.secrets().isEmpty()
            ? "not set"
            : secrets.generated()
                ? "generated (dev)"
                : secrets.secrets().size() + " secret(s), " + secrets.secrets().get(0).masked());
    payments.stripeApiVersion().ifPresent(v -> shown.put("STRIPE_API_VERSION", v));
    shown.put(
        "PAYMENT_PLANS",
        payments.plans().isEmpty() ? "none" : String.join(", ", payments.plans().keySet()));
    // The same mode as `switchboard status`: off in production without a key, not dev.
    Integration.Mode mode = Integration.Mode.of(payments.stripeStatus(config.core()).mode());
    if (gateway == null) {
      shown.put("status", "payments off: set STRIPE_SECRET_KEY");
    }
    return new Integration(
        "payments.stripe",
        "payments",
        gateway == null ? "none" : gateway.id(),
        mode,
        payments.stripeSecretKey().isPresent(),
        shown,
        Map.of("PAYMENT_RATE_LIMIT", payments.rateLimit().toString()),
        new StripeHealthCheck(
            Optional.ofNullable(gateway), !secrets.secrets().isEmpty(), store, clock),
        payments.stripeSecretKey().isPresent()
            ? PaymentsConfiguration.HEALTH_INTERVAL
            : Integration.DEFAULT_INTERVAL,
        Integration.DEFAULT_TIMEOUT);
  }
}
