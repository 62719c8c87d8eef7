package dev.switchboard.payments;

import dev.switchboard.auth.Accounts;
import dev.switchboard.email.EmailService;
import dev.switchboard.payments.dev.DevCheckoutSessions;
import dev.switchboard.payments.dev.DevPaymentGateway;
import dev.switchboard.payments.dev.DevStripeEvents;
import dev.switchboard.payments.dev.DevWebhookSecret;
import dev.switchboard.payments.paypal.PayPalPaymentGateway;
import dev.switchboard.payments.paypal.PayPalWebhookVerifier;
import dev.switchboard.payments.stripe.StripePaymentGateway;
import dev.switchboard.payments.stripe.StripeWebhookVerifier;
import dev.switchboard.platform.config.EnvironmentVariables;
import dev.switchboard.platform.config.InvalidConfigurationException;
import dev.switchboard.platform.config.PaymentsConfig;
import dev.switchboard.platform.config.Rate;
import dev.switchboard.platform.config.Secret;
import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.platform.http.BodySizeLimit;
import dev.switchboard.platform.http.RedirectTargets;
import dev.switchboard.platform.integrations.Integration;
import dev.switchboard.platform.jobs.JobQueue;
import dev.switchboard.platform.outbound.OutboundHttp;
import dev.switchboard.platform.ratelimit.RateLimitRule;
import dev.switchboard.platform.ratelimit.RateLimiter;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The payments area. {@code STRIPE_SECRET_KEY} set → Stripe; unset in development → the dev checkout (events signed
 * with {@code STRIPE_WEBHOOK_SECRET}, or a generated secret kept in the data directory); unset in production →
 * payments are off and checkout answers 503 naming the variable. PayPal is added beside either when its variables
 * are set.
 */
@Configuration(proxyBeanMethods = false)
public class PaymentsConfiguration {

  /** Stripe documents its events as under 1 MiB; anything larger is refused before it is read. */
  public static final long WEBHOOK_MAX_BYTES = 1024 * 1024;
  /** Per sending address; never below the API-wide limit, so a benchmark that raises that one raises this one. */
  static final Rate WEBHOOK_RATE = new Rate(500, Duration.ofSeconds(1));
  static final Duration HEALTH_INTERVAL = Duration.ofMinutes(5);

  @Bean
  Plans paymentPlans(SwitchboardConfig config) {
    return new Plans(config.payments().plans());
  }

  @Bean
  JdbcPaymentStore paymentStore(DataSource dataSource) {
    return new JdbcPaymentStore(dataSource);
  }

  /** The secrets webhooks are verified with: configured ones, else the dev checkout's generated one. */
  @Bean
  StripeWebhookSecrets stripeWebhookSecrets(SwitchboardConfig config) {
    List<Secret> configured = config.payments().stripeWebhookSecrets();
    if (!configured.isEmpty()) {
      return new StripeWebhookSecrets(configured, false);
    }
    if (devCheckout(config)) {
      return new StripeWebhookSecrets(List.of(DevWebhookSecret.loadOrCreate(config.core().dataDir())), true);
    }
    return new StripeWebhookSecrets(List.of(), false);
  }

  @Bean
  PaymentNotices paymentNotices(PaymentStore store, Accounts accounts, EmailService email, Clock clock,
      SwitchboardConfig config) {
    return new PaymentNotices(store, accounts, email, clock, config.core().publicUrl().toString());
  }

  @Bean
  StripeEventProcessor stripeEventProcessor(PaymentStore store, Accounts accounts, Plans plans, PaymentNotices notices,
      Clock clock, JsonMapper json) {
    return new StripeEventProcessor(store, accounts, plans, notices, clock, json);
  }

  @Bean
  PaymentEventJob paymentEventJob(PaymentStore store, StripeEventProcessor stripe, JobQueue jobs,
      PlatformTransactionManager transactions, ApplicationEventPublisher publisher, Clock clock, JsonMapper json,
      SwitchboardConfig config, Accounts accounts) {
    Map<String, EventProcessor> processors = new HashMap<>();
    processors.put(StripeEventProcessor.PROVIDER, stripe);
    config.payments().paypal().ifPresent(p -> processors.put(PayPalEventProcessor.PROVIDER,
        new PayPalEventProcessor(store, accounts, p.plans(), clock, json)));
    return new PaymentEventJob(store, processors, jobs, new TransactionTemplate(transactions), publisher, clock, json);
  }

  @Bean
  WebhookIngest webhookIngest(StripeWebhookSecrets secrets, PaymentStore store, JobQueue jobs,
      PlatformTransactionManager transactions, Clock clock, JsonMapper json, SwitchboardConfig config,
      ObjectProvider<PayPalPaymentGateway> paypal) {
    Map<String, WebhookVerifier> verifiers = new HashMap<>();
    PayPalPaymentGateway paypalGateway = paypal.getIfAvailable();
    if (paypalGateway != null) {
      verifiers.put(PayPalWebhookVerifier.PROVIDER, new PayPalWebhookVerifier(paypalGateway,
          config.payments().paypal().orElseThrow().webhookId().orElseThrow()));
    }
    if (!secrets.secrets().isEmpty()) {
      verifiers.put(StripeWebhookVerifier.PROVIDER, new StripeWebhookVerifier(secrets.secrets(), clock, json));
    }
    return new WebhookIngest(verifiers, store, jobs, new TransactionTemplate(transactions), clock, event -> {
      try {
        return StripeEventProcessor.customerOf(json.readTree(event.payload()));
      } catch (JacksonException e) {
        return Optional.empty();
      }
    });
  }

  @Bean
  PaymentService paymentService(SwitchboardConfig config, ObjectProvider<PaymentGateway> gateways, Plans plans,
      PaymentStore store, Accounts accounts, RedirectTargets redirects, JobQueue jobs, Clock clock) {
    Map<String, PaymentGateway> byId = new LinkedHashMap<>();
    gateways.orderedStream().forEach(g -> byId.put(g.id(), g));
    String preferred = byId.containsKey(StripePaymentGateway.ID) ? StripePaymentGateway.ID
        : byId.containsKey(DevPaymentGateway.ID) ? DevPaymentGateway.ID : StripePaymentGateway.ID;
    return new PaymentService(byId, preferred, plans, store, accounts, redirects, jobs, clock);
  }

  @Bean
  @Conditional(StripeKeyIsSet.class)
  PaymentGateway stripePaymentGateway(SwitchboardConfig config, RateLimiter limiter) {
    PaymentsConfig payments = config.payments();
    return new StripePaymentGateway(payments.stripeSecretKey().orElseThrow(), payments.endpoints().stripe(),
        payments.stripeApiVersion(), limiter, payments.rateLimit());
  }

  @Bean
  @Conditional(PayPalIsSet.class)
  PayPalPaymentGateway paypalPaymentGateway(SwitchboardConfig config, OutboundHttp http, RateLimiter limiter, Clock clock,
      JsonMapper json) {
    PaymentsConfig payments = config.payments();
    return new PayPalPaymentGateway(payments.paypal().orElseThrow(), payments.endpoints().paypal(), http, limiter,
        payments.rateLimit(), clock, json);
  }

  @Bean
  @Conditional(PayPalIsSet.class)
  Integration paypalIntegration(SwitchboardConfig config, PayPalPaymentGateway gateway, PaymentStore store,
      Clock clock) {
    PaymentsConfig.PayPal paypal = config.payments().paypal().orElseThrow();
    Map<String, String> shown = new LinkedHashMap<>();
    shown.put("PAYPAL_CLIENT_ID", paypal.clientId());
    shown.put("PAYPAL_CLIENT_SECRET", paypal.clientSecret().masked());
    shown.put("PAYPAL_WEBHOOK_ID", paypal.webhookId().orElse("not set"));
    shown.put("PAYPAL_MODE", paypal.mode());
    shown.put("PAYPAL_PLANS", paypal.plans().isEmpty() ? "none" : String.join(", ", paypal.plans().keySet()));
    return new Integration("payments.paypal", "payments", "paypal",
        paypal.mode().equals("live") ? Integration.Mode.LIVE : Integration.Mode.TEST, true, shown,
        Map.of("PAYMENT_RATE_LIMIT", config.payments().rateLimit().toString()),
        new StripeHealthCheck(Optional.of(gateway), paypal.webhookId().isPresent(), store, clock, "paypal"),
        HEALTH_INTERVAL, Integration.DEFAULT_TIMEOUT);
  }

  @Bean
  @Conditional(DevCheckoutIsActive.class)
  DevCheckoutSessions devCheckoutSessions(DataSource dataSource, Clock clock) {
    return new DevCheckoutSessions(dataSource, clock);
  }

  @Bean
  @Conditional(DevCheckoutIsActive.class)
  DevStripeEvents devStripeEvents(StripeWebhookSecrets secrets, PaymentStore store, Clock clock, JsonMapper json) {
    return new DevStripeEvents(secrets.secrets().stream().findFirst().orElseThrow(() -> new IllegalStateException(
        "the dev checkout is active but no Stripe webhook secret is configured or generated")), store, clock, json);
  }

  @Bean
  @Conditional(DevCheckoutIsActive.class)
  PaymentGateway devPaymentGateway(DevCheckoutSessions sessions, PaymentStore store, SwitchboardConfig config) {
    return new DevPaymentGateway(sessions, store, config.core().publicUrl());
  }

  @Bean
  BodySizeLimit.Rule stripeWebhookBodyLimit() {
    return new BodySizeLimit.Rule("/api/webhooks/stripe", WEBHOOK_MAX_BYTES);
  }

  @Bean
  RateLimitRule stripeWebhookRateLimit(SwitchboardConfig config) {
    return new RateLimitRule("payments.webhooks", "/api/webhooks/stripe", webhookRate(config), true);
  }

  @Bean
  RateLimitRule paypalWebhookRateLimit(SwitchboardConfig config) {
    return new RateLimitRule("payments.webhooks", "/api/webhooks/paypal", webhookRate(config), true);
  }

  private static Rate webhookRate(SwitchboardConfig config) {
    Rate api = config.core().apiRateLimit();
    return api.perSecond() > WEBHOOK_RATE.perSecond() ? api : WEBHOOK_RATE;
  }

  @Bean
  Integration stripeIntegration(SwitchboardConfig config, ObjectProvider<PaymentGateway> gateways,
      StripeWebhookSecrets secrets, PaymentStore store, Clock clock) {
    PaymentsConfig payments = config.payments();
    PaymentGateway gateway = gateways.orderedStream().filter(g -> !g.id().equals("paypal")).findFirst().orElse(null);
    Map<String, String> shown = new LinkedHashMap<>();
    payments.stripeSecretKey().ifPresent(k -> shown.put("STRIPE_SECRET_KEY", k.masked()));
    payments.stripePublishableKey().ifPresent(k -> shown.put("STRIPE_PUBLISHABLE_KEY", k));
    shown.put("STRIPE_WEBHOOK_SECRET", secrets.secrets().isEmpty() ? "not set"
        : secrets.generated() ? "generated (dev)" : secrets.secrets().size() + " secret(s), " + secrets.secrets().get(0).masked());
    payments.stripeApiVersion().ifPresent(v -> shown.put("STRIPE_API_VERSION", v));
    shown.put("PAYMENT_PLANS", payments.plans().isEmpty() ? "none" : String.join(", ", payments.plans().keySet()));
    Integration.Mode mode = payments.stripeSecretKey().map(k -> k.reveal().contains("_live_")
        ? Integration.Mode.LIVE : Integration.Mode.TEST).orElse(Integration.Mode.DEV);
    if (gateway == null) {
      shown.put("status", "payments off: set STRIPE_SECRET_KEY");
    }
    return new Integration("payments.stripe", "payments", gateway == null ? "none" : gateway.id(), mode,
        payments.stripeSecretKey().isPresent(), shown, Map.of("PAYMENT_RATE_LIMIT", payments.rateLimit().toString()),
        new StripeHealthCheck(Optional.ofNullable(gateway), !secrets.secrets().isEmpty(), store, clock, "stripe"),
        payments.stripeSecretKey().isPresent() ? HEALTH_INTERVAL : Integration.DEFAULT_INTERVAL,
        Integration.DEFAULT_TIMEOUT);
  }

  static boolean devCheckout(SwitchboardConfig config) {
    return config.payments().stripeSecretKey().isEmpty() && !config.core().production();
  }

  /** The Stripe webhook secrets in force, and whether the one in use was generated for the dev checkout. */
  public record StripeWebhookSecrets(List<Secret> secrets, boolean generated) {}

  static final class PayPalIsSet implements Condition {
    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
      return context.getEnvironment() instanceof ConfigurableEnvironment environment
          && EnvironmentVariables.isSet(environment, "PAYPAL_CLIENT_ID")
          && EnvironmentVariables.isSet(environment, "PAYPAL_CLIENT_SECRET");
    }
  }

  static final class StripeKeyIsSet implements Condition {
    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
      return context.getEnvironment() instanceof ConfigurableEnvironment environment
          && EnvironmentVariables.isSet(environment, "STRIPE_SECRET_KEY");
    }
  }

  /**
   * Development mode and no Stripe key: the dev checkout stands in for Stripe. Decided on the configuration as loaded
   * (so {@code SWITCHBOARD_ENV_FILE} counts) by the same {@link #devCheckout} as the webhook secrets, so the dev beans
   * never exist without the generated secret they sign with.
   */
  static final class DevCheckoutIsActive implements Condition {
    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
      return context.getEnvironment() instanceof ConfigurableEnvironment environment && active(environment);
    }

    static boolean active(ConfigurableEnvironment environment) {
      try {
        return devCheckout(SwitchboardConfig.load(name -> EnvironmentVariables.get(environment, name)));
      } catch (InvalidConfigurationException e) {
        return false; // startup fails on the configuration bean, which reports every problem
      }
    }
  }
}
