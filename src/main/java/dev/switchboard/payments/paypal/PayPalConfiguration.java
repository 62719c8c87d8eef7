package dev.switchboard.payments.paypal;

import dev.switchboard.auth.Accounts;
import dev.switchboard.payments.EventProcessor;
import dev.switchboard.payments.PaymentStore;
import dev.switchboard.payments.PaymentsConfig;
import dev.switchboard.payments.PaymentsConfiguration;
import dev.switchboard.payments.WebhookVerifier;
import dev.switchboard.platform.config.EnvironmentVariables;
import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.platform.integrations.Integration;
import dev.switchboard.platform.outbound.OutboundHttp;
import dev.switchboard.platform.ratelimit.RateLimiter;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import tools.jackson.databind.json.JsonMapper;

/**
 * PayPal, beside Stripe or the dev checkout, when {@code PAYPAL_CLIENT_ID} and {@code
 * PAYPAL_CLIENT_SECRET} are set: the gateway, the event processor, the webhook verifier (with
 * {@code PAYPAL_WEBHOOK_ID}) and the {@code payments.paypal} box.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(PayPalConfiguration.PayPalIsSet.class)
public class PayPalConfiguration {

  /** The one PayPal client (and its cached token) that checkout and webhook verification share. */
  @Bean
  PayPalApi paypalApi(
      SwitchboardConfig config,
      OutboundHttp http,
      RateLimiter limiter,
      Clock clock,
      JsonMapper json) {
    PaymentsConfig payments = config.area(PaymentsConfig.class);
    PaymentsConfig.PayPal paypal = payments.paypal().orElseThrow();
    return new PayPalApi(
        paypal.clientId(),
        paypal.clientSecret(),
        payments.endpoints().paypal(),
        http,
        limiter,
        payments.rateLimit(),
        clock,
        json);
  }

  @Bean
  PayPalPaymentGateway paypalPaymentGateway(SwitchboardConfig config, PayPalApi api) {
    return new PayPalPaymentGateway(
        api, config.area(PaymentsConfig.class).paypal().orElseThrow().plans());
  }

  @Bean
  EventProcessor paypalEventProcessor(
      SwitchboardConfig config,
      PaymentStore store,
      Accounts accounts,
      Clock clock,
      JsonMapper json) {
    return new PayPalEventProcessor(
        store,
        accounts,
        config.area(PaymentsConfig.class).paypal().orElseThrow().plans(),
        clock,
        json);
  }

  /**
   * The configuration refuses PayPal credentials without {@code PAYPAL_WEBHOOK_ID}, so it is there.
   */
  @Bean
  WebhookVerifier paypalWebhookVerifier(SwitchboardConfig config, PayPalApi api) {
    return new PayPalWebhookVerifier(
        api, config.area(PaymentsConfig.class).paypal().orElseThrow().webhookId().orElseThrow());
  }

  @Bean
  Integration paypalIntegration(
      SwitchboardConfig config, PayPalPaymentGateway gateway, PaymentStore store, Clock clock) {
    PaymentsConfig.PayPal paypal = config.area(PaymentsConfig.class).paypal().orElseThrow();
    Map<String, String> shown = new LinkedHashMap<>();
    shown.put("PAYPAL_CLIENT_ID", paypal.clientId());
    shown.put("PAYPAL_CLIENT_SECRET", paypal.clientSecret().masked());
    shown.put("PAYPAL_WEBHOOK_ID", paypal.webhookId().orElse("not set"));
    shown.put("PAYPAL_MODE", paypal.mode());
    shown.put(
        "PAYPAL_PLANS",
        paypal.plans().isEmpty() ? "none" : String.join(", ", paypal.plans().keySet()));
    return new Integration(
        "payments.paypal",
        "payments",
        PayPalEventProcessor.PROVIDER,
        paypal.mode().equals("live") ? Integration.Mode.LIVE : Integration.Mode.TEST,
        true,
        shown,
        Map.of("PAYMENT_RATE_LIMIT", config.area(PaymentsConfig.class).rateLimit().toString()),
        new PayPalHealthCheck(gateway, paypal.webhookId().isPresent(), store, clock),
        PaymentsConfiguration.HEALTH_INTERVAL,
        Integration.DEFAULT_TIMEOUT);
  }

  /** Set the way the configuration reads them: each variable or its {@code _FILE}, not blank. */
  static final class PayPalIsSet implements Condition {
    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
      return context.getEnvironment() instanceof ConfigurableEnvironment environment
          && EnvironmentVariables.isSet(environment, "PAYPAL_CLIENT_ID")
          && EnvironmentVariables.isSet(environment, "PAYPAL_CLIENT_SECRET");
    }
  }
}
