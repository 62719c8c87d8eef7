package dev.switchboard.payments;

import dev.switchboard.platform.config.ConfigArea;
import dev.switchboard.platform.config.ConfigFinding;
import dev.switchboard.platform.config.ConfigReader;
import dev.switchboard.platform.config.CoreConfig;
import dev.switchboard.platform.config.IntegrationStatus;
import dev.switchboard.platform.config.ProductionSafety;
import dev.switchboard.platform.config.Rate;
import dev.switchboard.platform.config.Secret;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Stripe and PayPal. Without a Stripe key, development mode uses the dev checkout; production has
 * payments off.
 *
 * @param stripeWebhookSecrets every secret currently accepted, so a rotation needs no downtime
 * @param plans plan name to provider price id, from {@code
 *     PAYMENT_PLANS=pro=price_123,team=price_456}
 * @param endpoints API bases of Stripe and PayPal; overridden only to point tests at a local server
 */
public record PaymentsConfig(
    Optional<Secret> stripeSecretKey,
    Optional<String> stripePublishableKey,
    List<Secret> stripeWebhookSecrets,
    Optional<String> stripeApiVersion,
    Optional<PayPal> paypal,
    Map<String, String> plans,
    Rate rateLimit,
    Endpoints endpoints) {

  /**
   * Where the provider APIs are: {@code STRIPE_API_BASE}, {@code PAYPAL_API_BASE} (default: per
   * {@code PAYPAL_MODE}).
   */
  public record Endpoints(URI stripe, URI paypal) {}

  /**
   * PayPal REST credentials; {@code mode} is sandbox or live; {@code plans} maps plan names to
   * PayPal billing plan ids ({@code PAYPAL_PLANS=pro=P-5ML4271244454362WXNWU5NQ}).
   */
  public record PayPal(
      String clientId,
      Secret clientSecret,
      Optional<String> webhookId,
      String mode,
      Map<String, String> plans) {}

  public static PaymentsConfig load(ConfigReader r) {
    Optional<Secret> secretKey = r.secret("STRIPE_SECRET_KEY");
    secretKey.ifPresent(
        k -> {
          if (!k.reveal().matches("^(sk|rk)_(test|live)_[A-Za-z0-9]+$")) {
            r.problem(
                "STRIPE_SECRET_KEY",
                "expected a key starting with sk_test_, sk_live_, rk_test_ or rk_live_");
          }
        });
    Optional<String> publishable = r.string("STRIPE_PUBLISHABLE_KEY");
    publishable.ifPresent(
        k -> {
          if (!k.matches("^pk_(test|live)_[A-Za-z0-9]+$")) {
            r.problem(
                "STRIPE_PUBLISHABLE_KEY", "expected a key starting with pk_test_ or pk_live_");
          }
        });
    List<Secret> webhookSecrets = r.list("STRIPE_WEBHOOK_SECRET").stream().map(Secret::of).toList();
    for (Secret s : webhookSecrets) {
      if (!s.reveal().startsWith("whsec_")) {
        r.problem(
            "STRIPE_WEBHOOK_SECRET",
            "every secret must start with whsec_ (comma-separate several for rotation)");
        break;
      }
    }
    if (secretKey.isPresent() && webhookSecrets.isEmpty()) {
      r.problem(
          "STRIPE_WEBHOOK_SECRET",
          "required when STRIPE_SECRET_KEY is set, or webhooks cannot be verified");
    }
    Optional<String> apiVersion = r.string("STRIPE_API_VERSION");
    apiVersion.ifPresent(
        v -> {
          if (!v.matches("^\\d{4}-\\d{2}-\\d{2}(\\.[a-z]+)?$")) {
            r.problem("STRIPE_API_VERSION", "expected a version like 2025-09-30.clover");
          }
        });
    r.companions("PAYPAL_CLIENT_ID", "PAYPAL_CLIENT_SECRET");
    String mode = r.oneOf("PAYPAL_MODE", List.of("sandbox", "live"), "sandbox", "mode");
    Optional<String> paypalId = r.string("PAYPAL_CLIENT_ID");
    Optional<Secret> paypalSecret = r.secret("PAYPAL_CLIENT_SECRET");
    Optional<String> webhookId = r.string("PAYPAL_WEBHOOK_ID");
    Map<String, String> paypalPlans = new LinkedHashMap<>();
    for (String entry : r.list("PAYPAL_PLANS")) {
      String[] kv = entry.split("=", 2);
      if (kv.length != 2 || !kv[1].trim().startsWith("P-")) {
        r.problem("PAYPAL_PLANS", "'" + entry + "' is not plan=P-… (a PayPal billing plan id)");
      } else {
        paypalPlans.put(kv[0].trim(), kv[1].trim());
      }
    }
    Optional<PayPal> paypal =
        paypalId.isPresent() && paypalSecret.isPresent()
            ? Optional.of(
                new PayPal(
                    paypalId.get(),
                    paypalSecret.get(),
                    webhookId,
                    mode,
                    Collections.unmodifiableMap(paypalPlans)))
            : Optional.empty();
    if (paypal.isPresent() && webhookId.isEmpty()) {
      r.problem(
          "PAYPAL_WEBHOOK_ID",
          "required when PAYPAL_CLIENT_ID is set, or webhooks cannot be verified");
    }
    Map<String, String> plans = new LinkedHashMap<>();
    for (String entry : r.list("PAYMENT_PLANS")) {
      String[] kv = entry.split("=", 2);
      if (kv.length != 2
          || !kv[0].trim().matches("^[a-z0-9][a-z0-9_-]{0,39}$")
          || kv[1].isBlank()) {
        r.problem(
            "PAYMENT_PLANS",
            "'" + entry + "' is not plan=price (e.g. pro=price_123,team=price_456)");
      } else if (plans.put(kv[0].trim(), kv[1].trim()) != null) {
        r.problem("PAYMENT_PLANS", "plan '" + kv[0].trim() + "' is listed twice");
      }
    }
    return new PaymentsConfig(
        secretKey,
        publishable,
        webhookSecrets,
        apiVersion,
        paypal,
        Collections.unmodifiableMap(plans),
        r.rate("PAYMENT_RATE_LIMIT", "25/s"),
        new Endpoints(
            r.url("STRIPE_API_BASE", List.of("http", "https"))
                .orElse(URI.create("https://api.stripe.com")),
            r.url("PAYPAL_API_BASE", List.of("http", "https"))
                .orElse(
                    URI.create(
                        "live".equals(mode)
                            ? "https://api-m.paypal.com"
                            : "https://api-m.sandbox.paypal.com"))));
  }

  /**
   * What serves Stripe payments, for {@code switchboard status} and the map's {@code
   * payments.stripe} box alike: the key's mode, the dev checkout in development, nothing in
   * production.
   */
  public IntegrationStatus stripeStatus(CoreConfig core) {
    String id = "payments.stripe";
    return stripeSecretKey()
        .map(
            k ->
                k.reveal().contains("_live_")
                    ? new IntegrationStatus(id, "stripe", "live", "")
                    : new IntegrationStatus(
                        id,
                        "stripe",
                        "test",
                        "STRIPE_SECRET_KEY=sk_live_… (and its live webhook secret)"))
        .orElse(
            core.production()
                ? new IntegrationStatus(id, "none", "off", STRIPE_TO_GO_LIVE)
                : new IntegrationStatus(id, "dev checkout", "dev", STRIPE_TO_GO_LIVE));
  }

  private static final String STRIPE_TO_GO_LIVE = "STRIPE_SECRET_KEY + STRIPE_WEBHOOK_SECRET";

  /** Stripe's signing secrets are {@code whsec_} and 32 or more random characters. */
  static final int MIN_WEBHOOK_SECRET_BODY = 24;

  /** Registers the payments area with the platform's configuration reader. */
  public static final class Area implements ConfigArea<PaymentsConfig> {

    @Override
    public Class<PaymentsConfig> type() {
      return PaymentsConfig.class;
    }

    @Override
    public List<String> variables() {
      return List.of(
          "STRIPE_SECRET_KEY",
          "STRIPE_PUBLISHABLE_KEY",
          "STRIPE_WEBHOOK_SECRET",
          "STRIPE_API_VERSION",
          "STRIPE_API_BASE",
          "PAYPAL_CLIENT_ID",
          "PAYPAL_CLIENT_SECRET",
          "PAYPAL_WEBHOOK_ID",
          "PAYPAL_MODE",
          "PAYPAL_PLANS",
          "PAYPAL_API_BASE",
          "PAYMENT_PLANS",
          "PAYMENT_RATE_LIMIT");
    }

    @Override
    public List<String> prefixes() {
      return List.of("STRIPE_", "PAYPAL_", "PAYMENT_", "PAYMENTS_");
    }

    @Override
    public PaymentsConfig load(ConfigReader reader, CoreConfig core) {
      return PaymentsConfig.load(reader);
    }

    @Override
    public List<ConfigFinding> findings(PaymentsConfig config, CoreConfig core) {
      List<ConfigFinding> out = new ArrayList<>();
      for (Secret s : config.stripeWebhookSecrets()) {
        String body = s.reveal().startsWith("whsec_") ? s.reveal().substring(6) : s.reveal();
        if (body.length() < MIN_WEBHOOK_SECRET_BODY
            || ProductionSafety.weakness(body).isPresent()) {
          out.add(
              ProductionSafety.refused(
                  "STRIPE_WEBHOOK_SECRET",
                  "a secret is not one Stripe issued (too short or a pattern), so "
                      + "anyone could sign webhooks with it; copy the endpoint's signing secret from the Stripe dashboard"));
          break;
        }
      }
      config
          .stripeSecretKey()
          .filter(k -> k.reveal().matches("^(sk|rk)_test_.*"))
          .ifPresent(
              k ->
                  out.add(
                      ProductionSafety.warning(
                          "STRIPE_SECRET_KEY",
                          "is a test-mode key: checkouts take no real money; set the sk_live_ key "
                              + "(a staging deployment may keep the test key on purpose)")));
      config
          .paypal()
          .filter(p -> p.mode().equals("sandbox"))
          .ifPresent(
              p ->
                  out.add(
                      ProductionSafety.warning(
                          "PAYPAL_MODE",
                          "is sandbox: subscriptions take no real money; set PAYPAL_MODE=live with live credentials")));
      // PayPal left out is a choice; payments with no provider at all are worth a line.
      if (config.stripeStatus(core).mode().equals("off") && config.paypal().isEmpty()) {
        out.add(
            new ConfigFinding(
                ConfigFinding.Kind.MISSING,
                "STRIPE_SECRET_KEY",
                "payments are off; set " + STRIPE_TO_GO_LIVE + " to use them"));
      }
      return out;
    }

    @Override
    public List<IntegrationStatus> integrations(PaymentsConfig config, CoreConfig core) {
      String id = "payments.paypal";
      return List.of(
          config.stripeStatus(core),
          config
              .paypal()
              .map(
                  p ->
                      p.mode().equals("live")
                          ? new IntegrationStatus(id, "paypal", "live", "")
                          : new IntegrationStatus(
                              id, "paypal", "test", "PAYPAL_MODE=live with live credentials"))
              .orElse(
                  new IntegrationStatus(
                      id,
                      "none",
                      "off",
                      "PAYPAL_CLIENT_ID + PAYPAL_CLIENT_SECRET + PAYPAL_WEBHOOK_ID")));
    }
  }
}
