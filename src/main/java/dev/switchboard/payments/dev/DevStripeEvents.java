package dev.switchboard.payments.dev;

import dev.switchboard.payments.PaymentStore;
import dev.switchboard.payments.Plans;
import dev.switchboard.payments.Subscription;
import dev.switchboard.payments.TestEventSender;
import dev.switchboard.payments.stripe.StripeEventProcessor;
import dev.switchboard.payments.stripe.StripeWebhookVerifier;
import dev.switchboard.platform.config.Secret;
import dev.switchboard.platform.http.ApiException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds Stripe-format snapshot events, signs them with the verifier's own signer ({@link
 * StripeWebhookVerifier#signatureHeader}, {@code t=…,v1=hex(HMAC-SHA256(secret, "t.body"))}) and
 * POSTs them to this server's own {@code /api/webhooks/stripe}, so the dev checkout goes through
 * the same verification, dedupe and job as real Stripe traffic. Invoices use the current API shape
 * ({@code parent.subscription_details}); amounts are a fixed 10.00 USD since the dev checkout has
 * no price list.
 *
 * @see <a href="https://docs.stripe.com/api/events/object">Stripe event object</a>
 */
public final class DevStripeEvents implements TestEventSender {

  static final long AMOUNT = 1000;
  static final String API_VERSION = "2025-09-30.clover";

  /** What the dashboard can trigger: the four events a dev subscription goes through. */
  static final List<String> TRIGGERABLE =
      List.of(
          "checkout.session.completed",
          "invoice.paid",
          "invoice.payment_failed",
          "customer.subscription.deleted");

  private final Secret secret;
  private final PaymentStore store;
  private final DevCheckoutSessions sessions;
  private final URI publicUrl;
  private final Plans plans;
  private final Clock clock;
  private final JsonMapper json;
  private volatile int port = -1;

  /**
   * @param publicUrl where the user reaches this server, for links in the events (the dev portal)
   */
  public DevStripeEvents(
      Secret secret,
      PaymentStore store,
      DevCheckoutSessions sessions,
      URI publicUrl,
      Plans plans,
      Clock clock,
      JsonMapper json) {
    this.plans = plans;
    this.secret = secret;
    this.store = store;
    this.sessions = sessions;
    this.publicUrl = publicUrl;
    this.clock = clock;
    this.json = json;
  }

  /**
   * The port the events are posted to, once the server listens ({@link DevCheckoutConfiguration}'s
   * listener calls it).
   */
  void webServerStarted(WebServerInitializedEvent event) {
    port = event.getWebServer().getPort();
  }

  /** Pay: the session completes, then its first invoice is paid. */
  void paid(DevCheckoutSessions.DevSession session) {
    String subscription = session.oneTime() ? null : "sub_dev_" + random();
    deliver(event("checkout.session.completed", completed(session, subscription)));
    if (subscription != null) {
      deliver(event("invoice.paid", invoice(session, subscription, "paid")));
    }
  }

  @Override
  public List<String> triggerable() {
    return TRIGGERABLE;
  }

  @Override
  public String trigger(String type, String accountId) {
    if (accountId == null || accountId.isBlank()) {
      throw ApiException.invalidField("account", "Choose an account.");
    }
    return switch (type == null ? "" : type) {
      case "checkout.session.completed" -> checkoutCompleted(accountId);
      case "invoice.paid" -> renewalPaid(accountId);
      case "invoice.payment_failed" -> renewalFailed(accountId);
      case "customer.subscription.deleted" -> subscriptionDeleted(accountId);
      default ->
          throw new ApiException(
              400,
              "unknown_event_type",
              "Unknown test event type; these can be sent: " + String.join(", ", TRIGGERABLE) + ".",
              false,
              "type",
              Map.of());
    };
  }

  /**
   * A completed checkout for the first configured subscription plan (by name), as if the user had
   * paid on the dev checkout page; no invoice follows (trigger {@code invoice.paid} for that).
   */
  private String checkoutCompleted(String accountId) {
    Plans.Plan plan =
        plans.all().keySet().stream()
            .sorted()
            .map(plans::resolve)
            .filter(p -> !p.oneTime())
            .findFirst()
            .orElseThrow(
                () ->
                    new ApiException(
                        409,
                        "no_plans",
                        "No subscription plan is configured; set PAYMENT_PLANS (e.g. pro=price_pro)."));
    String customer =
        store
            .subscription(accountId)
            .flatMap(Subscription::customerId)
            .orElse("cus_dev_" + accountId.replaceAll("[^A-Za-z0-9]", ""));
    DevCheckoutSessions.DevSession session =
        new DevCheckoutSessions.DevSession(
            "cs_dev_" + random(),
            accountId,
            customer,
            plan.name(),
            plan.price(),
            "subscription",
            "",
            "",
            "complete");
    return deliver(event("checkout.session.completed", completed(session, "sub_dev_" + random())));
  }

  /** The subscription's renewal is paid: a new period of 30 days. */
  private String renewalPaid(String accountId) {
    Subscription current = subscribed(accountId, "renew");
    DevCheckoutSessions.DevSession renewal = renewalOf(current);
    ObjectNode invoice = invoice(renewal, current.subscriptionId().get(), "paid");
    invoice.put("amount_due", AMOUNT).put("billing_reason", "subscription_cycle");
    return deliver(event("invoice.paid", invoice));
  }

  /** A closed session standing for the subscription's next invoice, as its events need it. */
  private static DevCheckoutSessions.DevSession renewalOf(Subscription current) {
    return new DevCheckoutSessions.DevSession(
        "renewal",
        current.accountId(),
        current.customerId().orElse(""),
        current.plan().orElse(""),
        current.price().orElse(""),
        "subscription",
        "",
        "",
        "closed");
  }

  private ObjectNode completed(DevCheckoutSessions.DevSession session, String subscription) {
    ObjectNode completed = json.createObjectNode();
    completed
        .put("id", session.id())
        .put("object", "checkout.session")
        .put("client_reference_id", session.accountId())
        .put("customer", session.customerId())
        .put("mode", session.mode())
        .put("payment_status", "paid")
        .put("status", "complete")
        .put("amount_total", AMOUNT)
        .put("currency", "usd");
    if (subscription != null) {
      completed.put("subscription", subscription);
    }
    completed.putObject("metadata").put("plan", session.plan()).put("price", session.price());
    return completed;
  }

  /**
   * The subscription's renewal fails (attempt 1, retried in 3 days), as {@code stripe trigger
   * invoice.payment_failed} would. A first payment never gets here: Checkout creates no
   * subscription until it succeeds.
   *
   * @return the event id
   * @throws ApiException 409 {@code no_subscription} when the account has none with access
   */
  String renewalFailed(String accountId) {
    Subscription current =
        store
            .subscription(accountId)
            .filter(s -> s.subscriptionId().isPresent() && s.entitled())
            .orElseThrow(
                () ->
                    new ApiException(
                        409, "no_subscription", "This account has no active subscription."));
    DevCheckoutSessions.DevSession renewal = renewalOf(current);
    ObjectNode invoice = invoice(renewal, current.subscriptionId().get(), "open");
    // Stripe links its hosted invoice page; here the dev portal stands in for it, so the email's
    // link opens a page.
    String portal =
        sessions.createPortal(accountId, renewal.customerId(), base() + "/admin/payments").id();
    invoice.put("hosted_invoice_url", base() + "/payments/dev/portal/" + portal);
    invoice
        .put("amount_due", AMOUNT)
        .put("amount_paid", 0)
        .put("attempt_count", 1)
        .put("billing_reason", "subscription_cycle")
        .put("next_payment_attempt", clock.instant().plus(Duration.ofDays(3)).getEpochSecond());
    return deliver(event("invoice.payment_failed", invoice));
  }

  /**
   * The account's subscription, which a renewal, a failed payment or a deletion needs.
   *
   * @throws ApiException 409 {@code no_subscription}
   */
  private Subscription subscribed(String accountId, String action) {
    return store
        .subscription(accountId)
        .filter(s -> s.subscriptionId().isPresent())
        .orElseThrow(
            () ->
                new ApiException(
                    409, "no_subscription", "This account has no subscription to " + action + "."));
  }

  @Override
  public String subscriptionDeleted(String accountId) {
    Subscription current = subscribed(accountId, "delete");
    ObjectNode object = json.createObjectNode();
    object
        .put("id", current.subscriptionId().get())
        .put("object", "subscription")
        .put("customer", current.customerId().orElse(null))
        .put("status", "canceled")
        .put("cancel_at_period_end", false)
        .put("ended_at", clock.instant().getEpochSecond());
    object.putObject("metadata").put(StripeEventProcessor.ACCOUNT_METADATA, accountId);
    return deliver(event("customer.subscription.deleted", object));
  }

  private ObjectNode invoice(
      DevCheckoutSessions.DevSession session, String subscription, String status) {
    long now = clock.instant().getEpochSecond();
    ObjectNode invoice = json.createObjectNode();
    invoice
        .put("id", "in_dev_" + random())
        .put("object", "invoice")
        .put("customer", session.customerId())
        .put("status", status)
        .put("amount_paid", AMOUNT)
        .put("currency", "usd")
        .put("attempt_count", 1);
    ObjectNode details =
        invoice
            .putObject("parent")
            .put("type", "subscription_details")
            .putObject("subscription_details");
    details.put("subscription", subscription);
    details
        .putObject("metadata")
        .put(StripeEventProcessor.ACCOUNT_METADATA, session.accountId())
        .put("plan", session.plan());
    ObjectNode line = invoice.putObject("lines").putArray("data").addObject();
    line.putObject("period").put("start", now).put("end", now + Duration.ofDays(30).toSeconds());
    line.putObject("pricing").putObject("price_details").put("price", session.price());
    return invoice;
  }

  private ObjectNode event(String type, ObjectNode object) {
    ObjectNode event = json.createObjectNode();
    event
        .put("id", "evt_dev_" + random())
        .put("object", "event")
        .put("api_version", API_VERSION)
        .put("created", clock.instant().getEpochSecond())
        .put("livemode", false)
        .put("type", type)
        .put("pending_webhooks", 1);
    event.putObject("data").set("object", object);
    return event;
  }

  /** Signs and posts one event; the webhook must accept it, or the button reports the failure. */
  private String deliver(ObjectNode event) {
    if (port < 0) {
      throw new IllegalStateException("the web server has not started yet");
    }
    byte[] body = json.writeValueAsBytes(event);
    String signature =
        StripeWebhookVerifier.signatureHeader(secret, clock.instant().getEpochSecond(), body);
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/webhooks/stripe"))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json; charset=utf-8")
            .header("Stripe-Signature", signature)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    try {
      HttpResponse<String> response =
          Loopback.HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 != 2) {
        throw new IllegalStateException("the webhook answered " + response.statusCode());
      }
    } catch (IOException e) {
      throw new IllegalStateException(
          "the webhook could not be reached: " + e.getClass().getSimpleName(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while delivering the event", e);
    }
    return event.path("id").asString();
  }

  private String base() {
    return publicUrl.toString().replaceAll("/+$", "");
  }

  private static String random() {
    return UUID.randomUUID().toString().replace("-", "").substring(0, 24);
  }

  /**
   * The client, built at the first delivery (a holder class): building one reads the default TLS
   * context at start, which a development server that never triggers an event does not need.
   */
  private static final class Loopback {
    static final HttpClient HTTP =
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }
}
