package dev.switchboard.payments;

import dev.switchboard.platform.config.ConfigReader;
import dev.switchboard.platform.config.Rate;
import dev.switchboard.platform.config.Secret;
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
  public record Endpoints(java.net.URI stripe, java.net.URI paypal) {}

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
                    java.util.Collections.unmodifiableMap(paypalPlans)))
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
        java.util.Collections.unmodifiableMap(plans),
        r.rate("PAYMENT_RATE_LIMIT", "25/s"),
        new Endpoints(
            r.url("STRIPE_API_BASE", List.of("http", "https"))
                .orElse(java.net.URI.create("https://api.stripe.com")),
            r.url("PAYPAL_API_BASE", List.of("http", "https"))
                .orElse(
                    java.net.URI.create(
                        "live".equals(mode)
                            ? "https://api-m.paypal.com"
                            : "https://api-m.sandbox.paypal.com"))));
  }
}
