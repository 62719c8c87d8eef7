package dev.switchboard.payments.dev;

import dev.switchboard.payments.PaymentGateway;
import dev.switchboard.payments.PaymentStore;
import dev.switchboard.payments.PaymentsConfiguration;
import dev.switchboard.payments.Plans;
import dev.switchboard.payments.stripe.StripeWebhookSecrets;
import dev.switchboard.platform.config.EnvironmentVariables;
import dev.switchboard.platform.config.InvalidConfigurationException;
import dev.switchboard.platform.config.SwitchboardConfig;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import tools.jackson.databind.json.JsonMapper;

/**
 * The dev checkout, in development without {@code STRIPE_SECRET_KEY}: its sessions, the
 * Stripe-format events its buttons send, and the gateway that hands out its pages. Without these
 * beans its pages answer 404 {@code dev_checkout_disabled}.
 */
@Import({DevCheckoutSessions.class})
@Configuration(proxyBeanMethods = false)
@Conditional(DevCheckoutConfiguration.DevCheckoutIsActive.class)
public class DevCheckoutConfiguration {

  @Bean
  DevStripeEvents devStripeEvents(
      StripeWebhookSecrets secrets,
      PaymentStore store,
      DevCheckoutSessions sessions,
      SwitchboardConfig config,
      Plans plans,
      Clock clock,
      JsonMapper json) {
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

  @Bean
  PaymentGateway devPaymentGateway(
      DevCheckoutSessions sessions, PaymentStore store, SwitchboardConfig config) {
    return new DevPaymentGateway(sessions, store, config.core().publicUrl());
  }

  /**
   * Decided on the configuration as loaded (so {@code SWITCHBOARD_ENV_FILE} counts) by the same
   * {@link PaymentsConfiguration#devCheckout} as the webhook secrets, so the dev beans never exist
   * without the generated secret they sign with. Evaluated once, for this class.
   */
  static final class DevCheckoutIsActive implements Condition {
    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
      return context.getEnvironment() instanceof ConfigurableEnvironment environment
          && active(environment);
    }

    static boolean active(ConfigurableEnvironment environment) {
      try {
        return PaymentsConfiguration.devCheckout(
            SwitchboardConfig.load(name -> EnvironmentVariables.get(environment, name)));
      } catch (InvalidConfigurationException e) {
        return false; // startup fails on the configuration bean, which reports every problem
      }
    }
  }
}
