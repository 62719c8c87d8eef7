package dev.switchboard.payments.stripe;

import static dev.switchboard.payments.EventFields.bool;
import static dev.switchboard.payments.EventFields.epochSeconds;
import static dev.switchboard.payments.EventFields.number;
import static dev.switchboard.payments.EventFields.required;
import static dev.switchboard.payments.EventFields.text;

import dev.switchboard.auth.Account;
import dev.switchboard.auth.Accounts;
import dev.switchboard.payments.EventOutcome;
import dev.switchboard.payments.EventProcessor;
import dev.switchboard.payments.MalformedEvent;
import dev.switchboard.payments.PaymentNotices;
import dev.switchboard.payments.PaymentStore;
import dev.switchboard.payments.Plans;
import dev.switchboard.payments.StoredEvent;
import dev.switchboard.payments.Subscription;
import dev.switchboard.payments.SubscriptionStarted;
import dev.switchboard.payments.SubscriptionStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Applies one stored Stripe-format event (from Stripe or the dev checkout) to the account's
 * subscription. Runs inside the job's transaction with the account's row locked. The fields are
 * read from the JSON by hand, in every place the API versions put them, so an event from another
 * API version is applied or fails loudly, never applied as empty. State only moves forward in
 * Stripe's {@code created} time: an older event delivered late records its facts (a payment, a
 * customer link) but does not overwrite the status.
 *
 * @see <a href="https://docs.stripe.com/billing/subscriptions/webhooks">Stripe: using webhooks with
 *     subscriptions</a>
 */
public final class StripeEventProcessor implements EventProcessor {

  public static final String PROVIDER = "stripe";

  /** The metadata key our checkout sets on the session and the subscription. */
  public static final String ACCOUNT_METADATA = "account_id";

  private final PaymentStore store;
  private final Accounts accounts;
  private final Plans plans;
  private final PaymentNotices notices;
  private final Clock clock;
  private final JsonMapper json;

  public StripeEventProcessor(
      PaymentStore store,
      Accounts accounts,
      Plans plans,
      PaymentNotices notices,
      Clock clock,
      JsonMapper json) {
    this.store = store;
    this.accounts = accounts;
    this.plans = plans;
    this.notices = notices;
    this.clock = clock;
    this.json = json;
  }

  /** The event types applied; every other type is {@code ignored} without reading its body. */
  private static final Set<String> HANDLED =
      Set.of(
          "checkout.session.completed",
          "checkout.session.async_payment_succeeded",
          "checkout.session.async_payment_failed",
          "invoice.paid",
          "invoice.payment_failed",
          "customer.subscription.deleted",
          "customer.subscription.updated");

  /** Applies the event; throws {@link MalformedEvent} when a field its type needs is absent. */
  @Override
  public EventOutcome apply(StoredEvent event) {
    if (!handles(event.type())) {
      return EventOutcome.of(StoredEvent.IGNORED, "event type not handled");
    }
    JsonNode object = json.readTree(event.payload()).path("data").path("object");
    return switch (event.type()) {
      case "checkout.session.completed" -> checkoutCompleted(event, needObject(object), false);
      case "checkout.session.async_payment_succeeded" ->
          checkoutCompleted(event, needObject(object), true);
      case "checkout.session.async_payment_failed" ->
          checkoutPaymentFailed(event, needObject(object));
      case "invoice.paid" -> forInvoice(event, needObject(object), this::invoicePaid);
      case "invoice.payment_failed" -> forInvoice(event, needObject(object), this::invoiceFailed);
      case "customer.subscription.deleted" -> subscriptionDeleted(event, needObject(object));
      case "customer.subscription.updated" -> subscriptionUpdated(event, needObject(object));
      default -> EventOutcome.of(StoredEvent.IGNORED, "event type not handled");
    };
  }

  @Override
  public boolean handles(String type) {
    return HANDLED.contains(type);
  }

  @Override
  public String provider() {
    return PROVIDER;
  }

  /**
   * Activates only a paid checkout that Switchboard created. Delayed methods (SEPA, ACH) complete
   * {@code unpaid} and are applied by {@code async_payment_succeeded} ({@code paid} forces that). A
   * Payment Link lets the buyer set any {@code client_reference_id}, so the session must also carry
   * the plan and price our checkout puts in its metadata.
   */
  private EventOutcome checkoutCompleted(StoredEvent event, JsonNode session, boolean paid) {
    required(session, "data.object.id", "id");
    Optional<String> notOurs = notSwitchboardCheckout(session);
    if (notOurs.isPresent()) {
      return EventOutcome.of(StoredEvent.IGNORED, notOurs.get());
    }
    String paymentStatus = text(session, "payment_status").orElse("");
    if (!paid && !paymentStatus.equals("paid") && !paymentStatus.equals("no_payment_required")) {
      return EventOutcome.of(
          StoredEvent.IGNORED,
          "payment_status "
              + (paymentStatus.isEmpty() ? "missing" : paymentStatus)
              + ": activated when the payment succeeds");
    }
    String reference = text(session, "client_reference_id").orElseThrow();
    Optional<Account> account = accounts.find(reference);
    if (account.isEmpty()) {
      return EventOutcome.of(StoredEvent.UNMATCHED, "unknown account " + reference);
    }
    String accountId = account.get().id();
    Optional<String> customer = text(session, "customer");
    boolean oneTime = text(session, "mode").filter("payment"::equals).isPresent();
    Optional<String> price = text(session, "metadata", "price");
    Optional<String> plan = text(session, "metadata", "plan");
    Subscription current = current(accountId);
    if (oneTime) {
      store.recordPayment(
          PROVIDER,
          required(session, "data.object.id", "id"),
          accountId,
          number(session, "amount_total"),
          text(session, "currency"),
          event.created(),
          event.id());
    }
    Optional<String> subscription = oneTime ? Optional.empty() : text(session, "subscription");
    List<String> waiting = customer.map(c -> store.unmatchedEvents(PROVIDER, c)).orElse(List.of());
    if (!current.acceptsEventAt(event.created())) {
      // A newer event already set the state; only the customer link is a fact worth keeping.
      store.saveSubscription(
          current.filledFrom(customer, subscription, plan, price).savedAt(clock.instant()));
      return EventOutcome.processed(accountId, "stale: customer linked", List.of())
          .unblocking(waiting);
    }
    Subscription next =
        current
            .linkedTo(PROVIDER, customer, subscription)
            .onPlan(plan, price)
            .forPeriod(Optional.empty(), false)
            .movedTo(SubscriptionStatus.ACTIVE, event.created())
            .savedAt(clock.instant());
    store.saveSubscription(next);
    return EventOutcome.processed(
            "activated", current, next, amount(session, "amount_total", "currency"))
        .unblocking(waiting);
  }

  /**
   * A delayed payment (SEPA, ACH) of our checkout failed: nothing was activated; the buyer is told
   * once.
   */
  private EventOutcome checkoutPaymentFailed(StoredEvent event, JsonNode session) {
    String sessionId = required(session, "data.object.id", "id");
    Optional<String> notOurs = notSwitchboardCheckout(session);
    if (notOurs.isPresent()) {
      return EventOutcome.of(StoredEvent.IGNORED, notOurs.get());
    }
    Optional<String> accountId = known(text(session, "client_reference_id"));
    if (accountId.isEmpty()) {
      return EventOutcome.of(
          StoredEvent.UNMATCHED, "unknown account " + text(session, "client_reference_id").get());
    }
    // The buyer never had access; the session's cancel_url is the app's page to try again (checked
    // at checkout).
    boolean sent =
        notices.paymentFailed(
            new PaymentNotices.FailedPayment(
                PROVIDER,
                accountId.get(),
                sessionId,
                1,
                number(session, "amount_total"),
                text(session, "currency"),
                text(session, "cancel_url"),
                Optional.empty(),
                false));
    return EventOutcome.processed(
        accountId.get(),
        "checkout payment failed; not activated" + (sent ? "; payment-failed email queued" : ""),
        List.of());
  }

  /** Why a checkout session is not one our checkout created, if it is not. */
  private Optional<String> notSwitchboardCheckout(JsonNode session) {
    if (text(session, "client_reference_id").isEmpty()) {
      return Optional.of("no client_reference_id: not a Switchboard checkout");
    }
    Optional<String> plan = text(session, "metadata", "plan");
    Optional<String> price = text(session, "metadata", "price");
    if (plan.isEmpty() || price.isEmpty() || !plans.offers(plan.get(), price.get())) {
      return Optional.of(
          "metadata plan/price is not a configured plan: not a Switchboard checkout");
    }
    return Optional.empty();
  }

  private EventOutcome invoicePaid(
      StoredEvent event, JsonNode invoice, String invoiceId, Subscription current) {
    String accountId = current.accountId();
    boolean recorded =
        store.recordPayment(
            PROVIDER,
            invoiceId,
            accountId,
            number(invoice, "amount_paid"),
            text(invoice, "currency"),
            event.created(),
            event.id());
    Optional<Instant> periodEnd =
        epochSeconds(invoice, "lines", "data", "0", "period", "end")
            .or(() -> epochSeconds(invoice, "period_end"));
    Optional<Instant> extended = later(current.currentPeriodEnd(), periodEnd);
    Optional<String> price =
        current
            .price()
            .or(() -> text(invoice, "lines", "data", "0", "pricing", "price_details", "price"))
            .or(() -> text(invoice, "lines", "data", "0", "price", "id"));
    Optional<String> plan =
        current
            .plan()
            .or(() -> text(invoice, "parent", "subscription_details", "metadata", "plan"))
            .or(() -> text(invoice, "subscription_details", "metadata", "plan"))
            .or(() -> price.flatMap(plans::planFor));
    Subscription linked =
        current
            .linkedTo(
                PROVIDER,
                current.customerId().or(() -> text(invoice, "customer")),
                current.subscriptionId().or(() -> subscriptionOf(invoice)))
            .onPlan(plan, price)
            .forPeriod(extended, current.cancelAtPeriodEnd());
    boolean fresh = current.acceptsEventAt(event.created());
    Subscription next =
        (fresh ? linked.movedTo(SubscriptionStatus.ACTIVE, event.created()) : linked)
            .savedAt(clock.instant());
    store.saveSubscription(next);
    return EventOutcome.processed(
        (recorded ? "payment recorded" : "payment already recorded")
            + (fresh ? "" : "; status kept (newer event applied)"),
        current,
        next,
        amount(invoice, "amount_paid", "currency"));
  }

  private EventOutcome invoiceFailed(
      StoredEvent event, JsonNode invoice, String invoiceId, Subscription current) {
    String accountId = current.accountId();
    Optional<String> invoiceSubscription = subscriptionOf(invoice);
    Optional<EventOutcome> notApplicable =
        EventOutcome.notApplicable(current, invoiceSubscription, event.created());
    if (notApplicable.isPresent()) {
      return notApplicable.get();
    }
    // A renewal that fails keeps access while Stripe retries; a first payment that fails grants
    // none.
    Subscription next =
        current
            .linkedTo(
                PROVIDER,
                current.customerId().or(() -> text(invoice, "customer")),
                current.subscriptionId().or(() -> invoiceSubscription))
            .paymentFailed(event.created())
            .savedAt(clock.instant());
    store.saveSubscription(next);
    long attempt = number(invoice, "attempt_count").orElse(0L);
    boolean sent =
        notices.paymentFailed(
            new PaymentNotices.FailedPayment(
                PROVIDER,
                accountId,
                invoiceId,
                attempt,
                number(invoice, "amount_due"),
                text(invoice, "currency"),
                text(invoice, "hosted_invoice_url"),
                epochSeconds(invoice, "next_payment_attempt"),
                next.entitled()));
    return EventOutcome.processed(
        accountId,
        next.status().id()
            + "; "
            + (sent ? "payment-failed email queued" : "email already sent for attempt " + attempt),
        List.of());
  }

  private EventOutcome subscriptionDeleted(StoredEvent event, JsonNode subscription) {
    String subscriptionId = required(subscription, "data.object.id", "id");
    Optional<String> accountId = subscriptionAccount(subscription, subscriptionId);
    if (accountId.isEmpty()) {
      return EventOutcome.unmatchedSubscription(subscriptionId);
    }
    Subscription current = current(accountId.get());
    Optional<EventOutcome> notApplicable =
        EventOutcome.notApplicable(current, Optional.of(subscriptionId), event.created());
    if (notApplicable.isPresent()) {
      return notApplicable.get();
    }
    Subscription next =
        current
            .linkedTo(PROVIDER, Optional.empty(), Optional.of(subscriptionId))
            .forPeriod(Optional.empty(), false)
            .movedTo(SubscriptionStatus.CANCELED, event.created())
            .savedAt(clock.instant());
    store.saveSubscription(next);
    return EventOutcome.processed("deactivated", current, next);
  }

  private EventOutcome subscriptionUpdated(StoredEvent event, JsonNode subscription) {
    String subscriptionId = required(subscription, "data.object.id", "id");
    String statusId = required(subscription, "data.object.status", "status");
    SubscriptionStatus status =
        SubscriptionStatus.of(statusId)
            .orElseThrow(() -> new MalformedEvent("unknown subscription status " + statusId));
    Optional<String> accountId = subscriptionAccount(subscription, subscriptionId);
    if (accountId.isEmpty()) {
      return EventOutcome.unmatchedSubscription(subscriptionId);
    }
    Subscription current = current(accountId.get());
    // A new subscription may replace one that ended; it must not overwrite one that still gives
    // access.
    Optional<EventOutcome> notApplicable =
        EventOutcome.notApplicable(
            current, Optional.of(subscriptionId).filter(id -> current.entitled()), event.created());
    if (notApplicable.isPresent()) {
      return notApplicable.get();
    }
    Optional<String> price =
        text(subscription, "items", "data", "0", "price", "id")
            .or(() -> text(subscription, "plan", "id"));
    Optional<Instant> periodEnd =
        epochSeconds(subscription, "current_period_end")
            .or(() -> epochSeconds(subscription, "items", "data", "0", "current_period_end"));
    Subscription next =
        current
            .linkedTo(PROVIDER, Optional.empty(), Optional.of(subscriptionId))
            .onPlan(price.flatMap(plans::planFor).or(() -> price), price)
            .forPeriod(
                periodEnd,
                bool(subscription, "cancel_at_period_end").orElse(current.cancelAtPeriodEnd()))
            .movedTo(status, event.created())
            .savedAt(clock.instant());
    store.saveSubscription(next);
    return EventOutcome.processed(
        "updated: " + status + (next.cancelAtPeriodEnd() ? ", cancels at period end" : ""),
        current,
        next,
        itemAmount(subscription));
  }

  /**
   * By the linked customer or subscription, else by the {@code account_id} our checkout put in the
   * subscription's metadata, which Stripe copies onto its invoices: an invoice that overtakes its
   * checkout still finds its account.
   */
  private Optional<String> account(JsonNode invoice) {
    return store
        .accountFor(PROVIDER, text(invoice, "customer"), subscriptionOf(invoice))
        .or(
            () ->
                known(
                    text(invoice, "parent", "subscription_details", "metadata", ACCOUNT_METADATA)
                        .or(
                            () ->
                                text(
                                    invoice,
                                    "subscription_details",
                                    "metadata",
                                    ACCOUNT_METADATA))));
  }

  /** What an invoice event does to the account it is about. */
  private interface InvoiceEvent {
    EventOutcome apply(StoredEvent event, JsonNode invoice, String invoiceId, Subscription current);
  }

  /**
   * Applies an invoice event to its account's locked state; when no account knows the invoice's
   * customer yet, the event waits as {@code unmatched} until a checkout links it.
   */
  private EventOutcome forInvoice(StoredEvent event, JsonNode invoice, InvoiceEvent apply) {
    String invoiceId = required(invoice, "data.object.id", "id");
    Optional<Subscription> current = account(invoice).map(this::current);
    if (current.isEmpty()) {
      return EventOutcome.of(
          StoredEvent.UNMATCHED,
          "no account for customer " + text(invoice, "customer").orElse("?"));
    }
    return apply.apply(event, invoice, invoiceId, current.get());
  }

  private Optional<String> subscriptionAccount(JsonNode subscription, String subscriptionId) {
    return store
        .accountFor(PROVIDER, text(subscription, "customer"), Optional.of(subscriptionId))
        .or(() -> known(text(subscription, "metadata", ACCOUNT_METADATA)));
  }

  private Optional<String> known(Optional<String> accountId) {
    return accountId.flatMap(accounts::find).map(Account::id);
  }

  /**
   * Before API 2025-03-31 the invoice named its subscription at the top; since then under {@code
   * parent}.
   */
  private static Optional<String> subscriptionOf(JsonNode invoice) {
    return text(invoice, "subscription")
        .or(() -> text(invoice, "parent", "subscription_details", "subscription"));
  }

  private Subscription current(String accountId) {
    return store
        .subscriptionForUpdate(accountId)
        .orElseGet(() -> Subscription.none(accountId, PROVIDER, clock.instant()));
  }

  /**
   * Currencies Stripe counts in whole units, and those it counts in thousandths; the rest in
   * hundredths.
   *
   * @see <a href="https://docs.stripe.com/currencies#zero-decimal">Stripe: zero-decimal
   *     currencies</a>
   */
  private static final Set<String> ZERO_DECIMAL =
      Set.of(
          "BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF", "UGX", "VND", "VUV",
          "XAF", "XOF", "XPF");

  private static final Set<String> THREE_DECIMAL = Set.of("BHD", "JOD", "KWD", "OMR", "TND");

  /** An amount in minor units and its currency, both at the top of {@code object}. */
  private static Optional<SubscriptionStarted.Amount> amount(
      JsonNode object, String amountField, String currencyField) {
    return minorUnits(number(object, amountField), text(object, currencyField));
  }

  /**
   * What a subscription bills per period: its first item's price times the quantity (older API
   * versions: the top-level {@code plan}).
   */
  private static Optional<SubscriptionStarted.Amount> itemAmount(JsonNode subscription) {
    long quantity = number(subscription, "items", "data", "0", "quantity").orElse(1L);
    Optional<Long> unit = number(subscription, "items", "data", "0", "price", "unit_amount");
    if (unit.isPresent()) {
      return minorUnits(
          Optional.of(unit.get() * quantity),
          text(subscription, "items", "data", "0", "price", "currency")
              .or(() -> text(subscription, "currency")));
    }
    return minorUnits(
        number(subscription, "plan", "amount").map(a -> a * quantity),
        text(subscription, "plan", "currency").or(() -> text(subscription, "currency")));
  }

  private static Optional<SubscriptionStarted.Amount> minorUnits(
      Optional<Long> minor, Optional<String> currency) {
    String code = currency.map(c -> c.toUpperCase(Locale.ROOT)).orElse("");
    int digits = ZERO_DECIMAL.contains(code) ? 0 : THREE_DECIMAL.contains(code) ? 3 : 2;
    return SubscriptionStarted.Amount.ofMinorUnits(minor, currency, digits);
  }

  private static JsonNode needObject(JsonNode object) {
    if (!object.isObject()) {
      throw new MalformedEvent("missing data.object");
    }
    return object;
  }

  private static Optional<Instant> later(Optional<Instant> a, Optional<Instant> b) {
    if (a.isEmpty()) {
      return b;
    }
    return b.filter(x -> x.isAfter(a.get())).or(() -> a);
  }
}
