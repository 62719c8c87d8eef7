package dev.switchboard.payments.paypal;

import dev.switchboard.auth.Accounts;
import dev.switchboard.payments.EventProcessor;
import dev.switchboard.payments.PaymentStore;
import dev.switchboard.payments.PaymentsConfig;
import dev.switchboard.payments.PaymentsConfiguration;
import dev.switchboard.payments.WebhookVerifier;
import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.platform.integrations.Integration;
import dev.switchboard.platform.outbound.OutboundHttp;
import dev.switchboard.platform.ratelimit.RateLimiter;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/**
 * PayPal, beside Stripe or the dev checkout, when {@code PAYPAL_CLIENT_ID} and {@code
 * PAYPAL_CLIENT_SECRET} are set: the gateway, the event processor, the webhook verifier (with
 * {@code PAYPAL_WEBHOOK_ID}) and the {@code payments.paypal} box.
 *
 * <p>Without them every bean method here returns {@code null}, which leaves no bean: the choice is
 * made when the beans are made, not by a condition, which Spring AOT would answer once at build
 * time.
 */
@Configuration(proxyBeanMethods = false)
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
    if (payments.paypal().isEmpty()) {
      return null;
    }
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
  PayPalPaymentGateway paypalPaymentGateway(
      SwitchboardConfig config, ObjectProvider<PayPalApi> api) {
    return config
        .area(PaymentsConfig.class)
        .paypal()
        .map(paypal -> new PayPalPaymentGateway(api.getObject(), paypal.plans()))
        .orElse(null);
  }

  @Bean
  EventProcessor paypalEventProcessor(
      SwitchboardConfig config,
      PaymentStore store,
      Accounts accounts,
      Clock clock,
      JsonMapper json) {
    return config
        .area(PaymentsConfig.class)
        .paypal()
        .map(paypal -> new PayPalEventProcessor(store, accounts, paypal.plans(), clock, json))
        .orElse(null);
  }

  /**
   * The configuration refuses PayPal credentials without {@code PAYPAL_WEBHOOK_ID}, so it is there.
   */
  @Bean
  WebhookVerifier paypalWebhookVerifier(SwitchboardConfig config, ObjectProvider<PayPalApi> api) {
    return config
        .area(PaymentsConfig.class)
        .paypal()
        .map(paypal -> new PayPalWebhookVerifier(api.getObject(), paypal.webhookId().orElseThrow()))
        .orElse(null);
  }

  @Bean
  Integration paypalIntegration(
      SwitchboardConfig config,
      ObjectProvider<PayPalPaymentGateway> gateways,
      PaymentStore store,
      Clock clock) {
    if (config.area(PaymentsConfig.class).paypal().isEmpty()) {
      return null;
    }
    PaymentsConfig.PayPal paypal = config.area(PaymentsConfig.class).paypal().orElseThrow();
    PayPalPaymentGateway gateway = gateways.getObject();
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
}
