package dev.switchboard.payments;

import dev.switchboard.platform.config.Secret;
import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.platform.integrations.ArchitectureSection;
import dev.switchboard.platform.integrations.Integration;
import dev.switchboard.platform.integrations.Markdown;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Chapter 4 of the architecture document: Stripe (or the dev checkout), PayPal, plans and the
 * events handled.
 */
class PaymentsArchitectureSection implements ArchitectureSection {

  /** The Stripe events StripeEventProcessor acts on, and what it does. */
  static final List<List<String>> STRIPE_EVENTS =
      List.of(
          List.of(
              "checkout.session.completed",
              "Activate the subscription or record the one-time payment"),
          List.of("checkout.session.async_payment_succeeded", "Same, for delayed payment methods"),
          List.of("checkout.session.async_payment_failed", "Record the failed payment"),
          List.of("invoice.paid", "Update billing status and the period end"),
          List.of("invoice.payment_failed", "Mark past due; email the payment-failed template"),
          List.of("customer.subscription.updated", "Apply plan and status changes"),
          List.of("customer.subscription.deleted", "Deactivate the subscription"));

  /** The PayPal events PayPalEventProcessor acts on. */
  static final List<List<String>> PAYPAL_EVENTS =
      List.of(
          List.of("BILLING.SUBSCRIPTION.ACTIVATED", "Activate the subscription"),
          List.of("BILLING.SUBSCRIPTION.CANCELLED", "Cancel the subscription"),
          List.of("BILLING.SUBSCRIPTION.SUSPENDED", "Mark past due"),
          List.of("PAYMENT.SALE.COMPLETED", "Record the payment"));

  private final SwitchboardConfig config;

  PaymentsArchitectureSection(SwitchboardConfig config) {
    this.config = config;
  }

  @Override
  public int order() {
    return 40;
  }

  @Override
  public String chapter() {
    return "Payment Integration";
  }

  @Override
  public List<Check> healthChecks() {
    PaymentsConfig p = config.area(PaymentsConfig.class);
    List<Check> checks = new ArrayList<>();
    checks.add(
        p.stripeSecretKey().isPresent()
            ? new Check("payments.stripe", "GET /v1/balance", PaymentsConfiguration.HEALTH_INTERVAL)
            : new Check("payments.stripe", "webhook queue (local)", Integration.DEFAULT_INTERVAL));
    p.paypal()
        .ifPresent(
            pp ->
                checks.add(
                    new Check(
                        "payments.paypal",
                        "POST /v1/oauth2/token",
                        PaymentsConfiguration.HEALTH_INTERVAL)));
    return checks;
  }

  @Override
  public List<Part> parts(Context context) {
    return List.of(stripe(), paypal());
  }

  private Part stripe() {
    PaymentsConfig p = config.area(PaymentsConfig.class);
    String mode =
        p.stripeSecretKey()
            .map(k -> k.reveal().contains("_live_") ? "Live" : "Test")
            .orElse(
                config.core().production()
                    ? "Off (no `STRIPE_SECRET_KEY`)"
                    : "Dev checkout (local page, signed Stripe-format webhooks)");
    String env =
        "STRIPE_SECRET_KEY="
            + p.stripeSecretKey().map(Secret::masked).orElse("sk_test_xxxxx")
            + "\n"
            + "STRIPE_PUBLISHABLE_KEY="
            + p.stripePublishableKey().orElse("pk_test_xxxxx")
            + "\n"
            + "STRIPE_WEBHOOK_SECRET="
            + (p.stripeWebhookSecrets().isEmpty()
                ? "whsec_xxxxx"
                : String.join(",", p.stripeWebhookSecrets().stream().map(Secret::masked).toList()))
            + "\n"
            + "PAYMENT_PLANS="
            + (p.plans().isEmpty() ? "pro=price_xxxxx" : plansText(p.plans()));
    String body =
        "**Purpose:** Payment processing, subscriptions\n\n"
            + "**Configuration:**\n"
            + Markdown.settings(
                List.of(
                    List.of(
                        "API Version",
                        p.stripeApiVersion()
                            .orElse("the account's default (`STRIPE_API_VERSION` not set)")),
                    List.of("Mode", mode),
                    List.of("Webhook Endpoint", config.core().publicUrl() + "/api/webhooks/stripe"),
                    List.of(
                        "Webhook secrets",
                        p.stripeWebhookSecrets().size()
                            + " accepted (a comma list during rotation)"),
                    List.of(
                        "Plans",
                        p.plans().isEmpty() ? "none (`PAYMENT_PLANS`)" : plansText(p.plans())),
                    List.of("Rate limit", p.rateLimit() + " outbound (`PAYMENT_RATE_LIMIT`)")))
            + "\n"
            + "**Environment Variables:**\n"
            + Markdown.code("bash", env)
            + "\n"
            + "**Webhook Events:**\n"
            + Markdown.table(List.of("Event", "Action"), STRIPE_EVENTS)
            + "\n"
            + "**Webhook Handler:** `POST /api/webhooks/stripe` verifies the `Stripe-Signature` header on the raw bytes "
            + "(5-minute tolerance, every listed secret), stores the event by id (duplicates are acknowledged and "
            + "ignored), answers 200 and applies it from the durable job queue.\n\n"
            + "**Security:**\n- Verify webhook signatures\n- Idempotency keys on checkout (`Idempotency-Key`)\n"
            + "- Card data never touches Switchboard (Stripe Checkout)\n";
    return new Part("Stripe", body);
  }

  private Part paypal() {
    PaymentsConfig p = config.area(PaymentsConfig.class);
    if (p.paypal().isEmpty()) {
      return new Part(
          "PayPal",
          "**Mode:** off. Set `PAYPAL_CLIENT_ID`, `PAYPAL_CLIENT_SECRET` and `PAYPAL_WEBHOOK_ID` "
              + "(and `PAYPAL_PLANS`) to offer PayPal subscriptions; webhooks then arrive at "
              + config.core().publicUrl()
              + "/api/webhooks/paypal.\n");
    }
    PaymentsConfig.PayPal pp = p.paypal().get();
    String env =
        "PAYPAL_CLIENT_ID="
            + pp.clientId()
            + "\nPAYPAL_CLIENT_SECRET="
            + pp.clientSecret().masked()
            + "\nPAYPAL_WEBHOOK_ID="
            + pp.webhookId().orElse("")
            + "\nPAYPAL_MODE="
            + pp.mode()
            + "\nPAYPAL_PLANS="
            + plansText(pp.plans());
    String body =
        "**Purpose:** Subscriptions paid with PayPal\n\n"
            + "**Configuration:**\n"
            + Markdown.settings(
                List.of(
                    List.of("Mode", pp.mode().equals("live") ? "Live" : "Sandbox (test)"),
                    List.of("API", p.endpoints().paypal().toString()),
                    List.of("Webhook Endpoint", config.core().publicUrl() + "/api/webhooks/paypal"),
                    List.of(
                        "Verification",
                        "PayPal's verify-webhook-signature API with `PAYPAL_WEBHOOK_ID`")))
            + "\n"
            + "**Environment Variables:**\n"
            + Markdown.code("bash", env)
            + "\n"
            + "**Webhook Events:**\n"
            + Markdown.table(List.of("Event", "Action"), PAYPAL_EVENTS);
    return new Part("PayPal", body);
  }

  private static String plansText(Map<String, String> plans) {
    List<String> entries = new ArrayList<>();
    plans.forEach((k, v) -> entries.add(k + "=" + v));
    return entries.isEmpty() ? "" : String.join(",", entries);
  }
}
