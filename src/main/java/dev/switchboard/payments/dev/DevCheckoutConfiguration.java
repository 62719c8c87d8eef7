package dev.switchboard.payments.dev;

import dev.switchboard.payments.PaymentGateway;
import dev.switchboard.payments.PaymentStore;
import dev.switchboard.payments.PaymentsConfiguration;
import dev.switchboard.payments.Plans;
import dev.switchboard.payments.stripe.StripeWebhookSecrets;
import dev.switchboard.platform.config.SwitchboardConfig;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * The dev checkout, in development without {@code STRIPE_SECRET_KEY}: its sessions, the
 * Stripe-format events its buttons send, and the gateway that hands out its pages. Without these
 * beans its pages answer 404 {@code dev_checkout_disabled}.
 *
 * <p>Decided on the configuration as loaded (so {@code SWITCHBOARD_ENV_FILE} counts) by the same
 * {@link PaymentsConfiguration#devCheckout} as the webhook secrets, so the dev beans never exist
 * without the generated secret they sign with. Each bean method returns {@code null} (no bean) when
 * the dev checkout is off: a condition would be answered once at build time by Spring AOT.
 */
@Configuration(proxyBeanMethods = false)
public class DevCheckoutConfiguration {

  @Bean
  DevCheckoutSessions devCheckoutSessions(SwitchboardConfig config, JdbcClient jdbc, Clock clock) {
    return PaymentsConfiguration.devCheckout(config) ? new DevCheckoutSessions(jdbc, clock) : null;
  }

  @Bean
  DevStripeEvents devStripeEvents(
      StripeWebhookSecrets secrets,
      PaymentStore store,
      ObjectProvider<DevCheckoutSessions> active,
      SwitchboardConfig config,
      Plans plans,
      Clock clock,
      JsonMapper json) {
    DevCheckoutSessions sessions = active.getIfAvailable();
    if (sessions == null) {
      return null;
    }
    return new DevStripeEvents(
        secrets.secrets().stream()
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "the dev checkout is active but no Stripe webhook secret is configured or generated")),
        store,
        sessions,
        config.core().publicUrl(),
        plans,
        clock,
        json);
  }

  /**
   * Tells the dev events their server's port. A bean of its own: a listener bean that may be absent
   * (null) would fail the context's listener lookup.
   */
  @Bean
  ServerPortListener devStripeEventsPort(ObjectProvider<DevStripeEvents> events) {
    return new ServerPortListener(events);
  }

  record ServerPortListener(ObjectProvider<DevStripeEvents> events)
      implements ApplicationListener<WebServerInitializedEvent> {
    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
      events.ifAvailable(e -> e.webServerStarted(event));
    }
  }

  @Bean
  PaymentGateway devPaymentGateway(
      ObjectProvider<DevCheckoutSessions> active, PaymentStore store, SwitchboardConfig config) {
    DevCheckoutSessions sessions = active.getIfAvailable();
    return sessions == null
        ? null
        : new DevPaymentGateway(sessions, store, config.core().publicUrl());
  }
}
