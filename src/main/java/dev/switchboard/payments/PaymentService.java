package dev.switchboard.payments;

import dev.switchboard.auth.Account;
import dev.switchboard.auth.Accounts;
import dev.switchboard.platform.http.ApiException;
import dev.switchboard.platform.http.Caller;
import dev.switchboard.platform.http.CallerGuard;
import dev.switchboard.platform.http.RedirectTargets;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checkout, the billing portal and the subscription view for a signed-in account. Fulfilment never
 * happens here: the redirect back to the app proves nothing, only the provider's verified webhook
 * changes the state.
 */
public final class PaymentService {

  private final Map<String, PaymentGateway> gateways;
  private final String defaultProvider;
  private final Plans plans;
  private final PaymentStore store;
  private final Accounts accounts;
  private final RedirectTargets redirects;
  private final PaymentEventQueue queue;
  private final Clock clock;

  /**
   * @param gateways the configured providers by id; {@code defaultProvider} answers checkouts that
   *     name none
   */
  public PaymentService(
      Map<String, PaymentGateway> gateways,
      String defaultProvider,
      Plans plans,
      PaymentStore store,
      Accounts accounts,
      RedirectTargets redirects,
      PaymentEventQueue queue,
      Clock clock) {
    this.gateways = Map.copyOf(gateways);
    this.defaultProvider = defaultProvider;
    this.plans = plans;
    this.store = store;
    this.accounts = accounts;
    this.redirects = redirects;
    this.queue = queue;
    this.clock = clock;
  }

  /** The body of {@code POST /api/payments/checkout}. */
  public record CheckoutBody(String plan, String successUrl, String cancelUrl, String provider) {}

  /**
   * Creates a checkout session for the signed-in account.
   *
   * @param clientKey the request's own {@code Idempotency-Key}, folded into the provider's key
   * @throws ApiException 401 {@code unauthenticated}; 400 {@code unknown_plan}, {@code
   *     validation_failed}, {@code redirect_not_allowed}, {@code unknown_provider}; 503 {@code
   *     payments_not_configured}; the gateway's errors
   */
  public PaymentGateway.CheckoutSession checkout(
      Optional<Caller> caller, CheckoutBody body, Optional<String> clientKey) {
    Account account = signedIn(caller);
    if (body == null) {
      throw ApiException.invalidField("plan", "Send {plan, successUrl, cancelUrl}.");
    }
    Plans.Plan plan = plans.resolve(body.plan());
    String success = successUrl(required(body.successUrl(), "successUrl"));
    String cancel =
        redirects.check(required(body.cancelUrl(), "cancelUrl"), "cancelUrl").toString();
    PaymentGateway gateway = gateway(body.provider());
    Optional<Subscription> current = store.subscription(account.id());
    Optional<String> customer =
        current
            .filter(s -> s.provider().equals(providerOfEvents(gateway)))
            .flatMap(Subscription::customerId);
    // Same account, plan, URLs and state version → same key, so a retried or double-clicked
    // checkout gets the same
    // session; once a webhook changes the account's state, a new checkout is a new session.
    String version = current.flatMap(Subscription::lastEventAt).map(Instant::toString).orElse("-");
    String key =
        "checkout-"
            + digest(
                List.of(
                    account.id(),
                    gateway.id(),
                    plan.name(),
                    plan.price(),
                    success,
                    cancel,
                    version,
                    clientKey.orElse("")));
    return gateway.checkout(
        new PaymentGateway.CheckoutRequest(
            account.id(), account.email(), customer, plan, success, cancel, key));
  }

  /**
   * A billing-portal URL for the account's customer.
   *
   * @throws ApiException 401 {@code unauthenticated}; 409 {@code no_customer} before the first
   *     checkout
   */
  public String portal(Optional<Caller> caller, String returnUrl) {
    Account account = signedIn(caller);
    URI back = redirects.check(required(returnUrl, "returnUrl"), "returnUrl");
    Subscription subscription =
        store
            .subscription(account.id())
            .filter(s -> s.customerId().isPresent())
            .orElseThrow(
                () ->
                    new ApiException(409, "no_customer", "This account has not checked out yet."));
    PaymentGateway gateway =
        gateways.values().stream()
            .filter(
                g ->
                    providerOfEvents(g).equals(subscription.provider()) && !g.id().equals("paypal"))
            .findFirst()
            .orElseThrow(
                () ->
                    new ApiException(
                        409,
                        "no_portal",
                        "The billing portal is not available for "
                            + subscription.provider()
                            + " subscriptions."));
    return gateway.portal(
        subscription.customerId().get(),
        back,
        "portal-"
            + digest(
                List.of(
                    account.id(),
                    back.toString(),
                    Long.toString(clock.instant().getEpochSecond() / 60))));
  }

  /** The account's subscription; {@code status: none} when it never checked out. */
  public Subscription subscription(Optional<Caller> caller) {
    Account account = signedIn(caller);
    return store
        .subscription(account.id())
        .orElseGet(() -> Subscription.none(account.id(), defaultProvider, clock.instant()));
  }

  /** The newest webhook events first, for the dashboard. */
  public List<StoredEvent> recentEvents(int limit) {
    return store.recentEvents(limit);
  }

  /** One stored event with its payload, for the dashboard's event page. */
  public Optional<StoredEvent> event(String provider, String id) {
    return store.event(provider, id);
  }

  public List<Subscription> subscriptions(int limit) {
    return store.subscriptions(limit);
  }

  /**
   * Queues a failed or unmatched event to be processed again (dashboard).
   *
   * @return false when there is no such event or it was processed already
   */
  public boolean reprocess(String provider, String eventId) {
    Optional<StoredEvent> event = store.event(provider, eventId);
    if (event.isEmpty()
        || !(event.get().status().equals(StoredEvent.FAILED)
            || event.get().status().equals(StoredEvent.UNMATCHED))) {
      return false;
    }
    queue.enqueue(provider, eventId, Optional.of("reprocess:" + clock.instant().toEpochMilli()));
    return true;
  }

  /** The dev checkout emits Stripe-format events, so its subscriptions are {@code stripe} rows. */
  private static String providerOfEvents(PaymentGateway gateway) {
    return gateway.id().equals("paypal") ? "paypal" : "stripe";
  }

  private PaymentGateway gateway(String requested) {
    String id = requested == null || requested.isBlank() ? defaultProvider : requested;
    if (id.equals("stripe") && !gateways.containsKey("stripe") && defaultProvider.equals("dev")) {
      id = "dev";
    }
    PaymentGateway gateway = gateways.get(id);
    if (gateway == null && (id.equals("stripe") || id.equals("paypal") || id.equals("dev"))) {
      throw new ApiException(
          503,
          "payments_not_configured",
          id.equals("paypal")
              ? "PayPal is not configured; set PAYPAL_CLIENT_ID, PAYPAL_CLIENT_SECRET and PAYPAL_WEBHOOK_ID."
              : "Payments are not configured; set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET.");
    }
    if (gateway == null) {
      throw new ApiException(
          400,
          "unknown_provider",
          "provider must be stripe or paypal.",
          false,
          "provider",
          Map.of());
    }
    return gateway;
  }

  private Account signedIn(Optional<Caller> caller) {
    return accounts
        .find(CallerGuard.user(caller).id())
        .orElseThrow(
            () ->
                new ApiException(
                    401, "unauthenticated", "The signed-in account no longer exists."));
  }

  /**
   * Stripe replaces {@code {CHECKOUT_SESSION_ID}} in the success URL; braces are not valid in a
   * URI, so the URL is checked with the placeholder's name in their place and passed on as the app
   * wrote it.
   */
  private String successUrl(String raw) {
    redirects.check(raw.replace("{CHECKOUT_SESSION_ID}", "CHECKOUT_SESSION_ID"), "successUrl");
    return raw;
  }

  private static String required(String value, String field) {
    if (value == null || value.isBlank()) {
      throw ApiException.invalidField(field, field + " is required.");
    }
    return value;
  }

  static String digest(List<String> parts) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String part : parts) {
        sha.update(part.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
      }
      return HexFormat.of().formatHex(sha.digest()).substring(0, 40);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
