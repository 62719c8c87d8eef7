package dev.switchboard.payments;

import dev.switchboard.auth.Accounts;
import dev.switchboard.email.EmailService;
import dev.switchboard.payments.dev.DevWebhookSecret;
import dev.switchboard.payments.stripe.StripeWebhookSecrets;
import dev.switchboard.payments.stripe.StripeWebhookVerifier;
import dev.switchboard.platform.config.Rate;
import dev.switchboard.platform.config.Secret;
import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.platform.db.GroupCommits;
import dev.switchboard.platform.http.BodySizeLimit;
import dev.switchboard.platform.http.RedirectTargets;
import dev.switchboard.platform.jobs.Foreground;
import dev.switchboard.platform.jobs.JobCommits;
import dev.switchboard.platform.jobs.JobQueue;
import dev.switchboard.platform.ratelimit.RateLimitRule;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.json.JsonMapper;

/**
 * The payments area's own wiring: store, plans, notices, webhook intake, the event job and the
 * checkout service. Each provider brings its beans from its folder ({@code
 * stripe/StripeConfiguration}, {@code paypal/PayPalConfiguration}, {@code
 * dev/DevCheckoutConfiguration}): a {@link PaymentGateway}, an {@link EventProcessor}, a {@link
 * WebhookVerifier} (Stripe's is built here, from the secrets the dev checkout may have generated)
 * and its integration box, collected here by type. {@code STRIPE_SECRET_KEY} set → Stripe; unset in
 * development → the dev checkout; unset in production → payments are off and checkout answers 503
 * naming the variable. PayPal is added beside either when its variables are set.
 */
@Import({JdbcPaymentStore.class, PaymentsArchitectureSection.class})
@Configuration(proxyBeanMethods = false)
public class PaymentsConfiguration {

  /** Stripe documents its events as under 1 MiB; anything larger is refused before it is read. */
  public static final long WEBHOOK_MAX_BYTES = 1024 * 1024;

  /**
   * Per sending address; never below the API-wide limit, so a benchmark that raises that one raises
   * this one.
   */
  static final Rate WEBHOOK_RATE = new Rate(500, Duration.ofSeconds(1));

  /** How often a configured provider's box is checked (each check is one authenticated call). */
  public static final Duration HEALTH_INTERVAL = Duration.ofMinutes(5);

  @Bean
  Plans paymentPlans(SwitchboardConfig config) {
    return new Plans(config.area(PaymentsConfig.class).plans());
  }

  /**
   * The secrets Stripe-format webhooks are verified with: configured ones, else in development
   * without a Stripe key the dev checkout's generated one (the dev checkout signs with it), else
   * none (the webhook answers 404).
   */
  @Bean
  public StripeWebhookSecrets stripeWebhookSecrets(SwitchboardConfig config) {
    List<Secret> configured = config.area(PaymentsConfig.class).stripeWebhookSecrets();
    if (!configured.isEmpty()) {
      return new StripeWebhookSecrets(configured, false);
    }
    if (devCheckout(config)) {
      return new StripeWebhookSecrets(
          List.of(DevWebhookSecret.loadOrCreate(config.core().dataDir())), true);
    }
    return new StripeWebhookSecrets(List.of(), false);
  }

  /** Development mode and no Stripe key: the dev checkout stands in for Stripe. */
  public static boolean devCheckout(SwitchboardConfig config) {
    return config.area(PaymentsConfig.class).stripeSecretKey().isEmpty()
        && !config.core().production();
  }

  @Bean
  PaymentNotices paymentNotices(
      PaymentStore store,
      Accounts accounts,
      EmailService email,
      Clock clock,
      SwitchboardConfig config) {
    return new PaymentNotices(
        store,
        accounts,
        (template, to, variables) -> email.send(template, to, variables, Optional.empty()),
        clock,
        config.core().publicUrl().toString());
  }

  @Bean
  PaymentEventQueue paymentEventQueue(JobQueue jobs) {
    return PaymentEventQueue.on(jobs);
  }

  @Bean
  PaymentEventJob paymentEventJob(
      PaymentStore store,
      ObjectProvider<EventProcessor> processors,
      PaymentEventQueue queue,
      JobCommits commits,
      ApplicationEventPublisher publisher,
      Clock clock,
      JsonMapper json) {
    return new PaymentEventJob(
        store, byId(processors, EventProcessor::provider), queue, commits, publisher, clock, json);
  }

  @Bean
  WebhookIngest webhookIngest(
      ObjectProvider<WebhookVerifier> verifiers,
      StripeWebhookSecrets stripeSecrets,
      PaymentStore store,
      PaymentEventQueue queue,
      GroupCommits commits,
      Clock clock,
      JsonMapper json,
      Foreground foreground) {
    Map<String, WebhookVerifier> verifiersById = byId(verifiers, WebhookVerifier::provider);
    // Without a secret there is nothing to verify with, and /api/webhooks/stripe answers 404.
    if (!stripeSecrets.secrets().isEmpty()) {
      verifiersById.put(
          StripeWebhookVerifier.PROVIDER,
          new StripeWebhookVerifier(stripeSecrets.secrets(), clock, json));
    }
    return new WebhookIngest(verifiersById, store, queue, commits, clock, foreground);
  }

  /** The beans by their provider id, in bean order; a later one of the same id wins. */
  private static <T> Map<String, T> byId(ObjectProvider<T> beans, Function<T, String> id) {
    Map<String, T> byId = new LinkedHashMap<>();
    beans.orderedStream().forEach(b -> byId.put(id.apply(b), b));
    return byId;
  }

  @Bean
  PaymentService paymentService(
      ObjectProvider<PaymentGateway> gateways,
      Plans plans,
      PaymentStore store,
      Accounts accounts,
      RedirectTargets redirects,
      PaymentEventQueue queue,
      Clock clock) {
    Map<String, PaymentGateway> gatewaysById = byId(gateways, PaymentGateway::id);
    // Stripe, else its dev stand-in; without either, checkout answers 503 naming STRIPE_SECRET_KEY.
    String preferred =
        gatewaysById.containsKey("stripe")
            ? "stripe"
            : gatewaysById.containsKey("dev") ? "dev" : "stripe";
    return new PaymentService(
        gatewaysById, preferred, plans, store, accounts, redirects, queue, clock);
  }

  @Bean
  BodySizeLimit.Rule stripeWebhookBodyLimit() {
    return new BodySizeLimit.Rule("/api/webhooks/stripe", WEBHOOK_MAX_BYTES);
  }

  @Bean
  RateLimitRule stripeWebhookRateLimit(SwitchboardConfig config) {
    return new RateLimitRule(
        "payments.webhooks", "/api/webhooks/stripe", webhookRate(config), true);
  }

  @Bean
  RateLimitRule paypalWebhookRateLimit(SwitchboardConfig config) {
    return new RateLimitRule(
        "payments.webhooks", "/api/webhooks/paypal", webhookRate(config), true);
  }

  private static Rate webhookRate(SwitchboardConfig config) {
    Rate api = config.core().apiRateLimit();
    return api.perSecond() > WEBHOOK_RATE.perSecond() ? api : WEBHOOK_RATE;
  }
}
