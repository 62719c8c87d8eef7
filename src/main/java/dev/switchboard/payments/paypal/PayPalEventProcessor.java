package dev.switchboard.payments.paypal;

import static dev.switchboard.payments.EventFields.required;
import static dev.switchboard.payments.EventFields.text;

import dev.switchboard.auth.Account;
import dev.switchboard.auth.Accounts;
import dev.switchboard.payments.EventOutcome;
import dev.switchboard.payments.EventProcessor;
import dev.switchboard.payments.MalformedEvent;
import dev.switchboard.payments.PaymentStore;
import dev.switchboard.payments.StoredEvent;
import dev.switchboard.payments.Subscription;
import dev.switchboard.payments.SubscriptionStarted;
import dev.switchboard.payments.SubscriptionStatus;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Applies PayPal webhook events to the same subscription state as Stripe's: {@code
 * BILLING.SUBSCRIPTION.ACTIVATED} → active, {@code CANCELLED} → canceled, {@code SUSPENDED} →
 * past_due (access continues while PayPal retries; a subscription that never was active gains
 * none), {@code PAYMENT.SALE.COMPLETED} → payment recorded once per sale, active. The account comes
 * from the subscription's {@code custom_id} (set at checkout) or from the subscription id already
 * linked; state only moves forward in the events' {@code create_time}.
 *
 * @see <a href="https://developer.paypal.com/api/rest/webhooks/event-names/#subscriptions">PayPal
 *     subscription events</a>
 */
public final class PayPalEventProcessor implements EventProcessor {

  public static final String PROVIDER = "paypal";

  private final PaymentStore store;
  private final Accounts accounts;
  private final Map<String, String> plans;
  private final Clock clock;
  private final JsonMapper json;

  /**
   * @param plans plan name to PayPal billing plan id ({@code PAYPAL_PLANS})
   */
  public PayPalEventProcessor(
      PaymentStore store,
      Accounts accounts,
      Map<String, String> plans,
      Clock clock,
      JsonMapper json) {
    this.store = store;
    this.accounts = accounts;
    this.plans = Map.copyOf(plans);
    this.clock = clock;
    this.json = json;
  }

  @Override
  public EventOutcome apply(StoredEvent event) {
    JsonNode resource = json.readTree(event.payload()).path("resource");
    if (!resource.isObject()
        && !event.type().startsWith("BILLING.SUBSCRIPTION.")
        && !event.type().equals("PAYMENT.SALE.COMPLETED")) {
      return EventOutcome.of(StoredEvent.IGNORED, "event type not handled");
    }
    if (!resource.isObject()) {
      throw new MalformedEvent("missing resource");
    }
    return switch (event.type()) {
      case "BILLING.SUBSCRIPTION.ACTIVATED" ->
          subscription(event, resource, SubscriptionStatus.ACTIVE);
      case "BILLING.SUBSCRIPTION.CANCELLED" ->
          subscription(event, resource, SubscriptionStatus.CANCELED);
      case "BILLING.SUBSCRIPTION.SUSPENDED" ->
          subscription(event, resource, SubscriptionStatus.PAST_DUE);
      case "PAYMENT.SALE.COMPLETED" -> saleCompleted(event, resource);
      default -> EventOutcome.of(StoredEvent.IGNORED, "event type not handled");
    };
  }

  @Override
  public String provider() {
    return PROVIDER;
  }

  private EventOutcome subscription(
      StoredEvent event, JsonNode resource, SubscriptionStatus status) {
    String subscriptionId = required(resource, "resource.id", "id");
    Optional<String> accountId =
        text(resource, "custom_id")
            .flatMap(accounts::find)
            .map(Account::id)
            .or(() -> store.accountFor(PROVIDER, Optional.empty(), Optional.of(subscriptionId)));
    if (accountId.isEmpty()) {
      return EventOutcome.unmatchedSubscription(subscriptionId);
    }
    Subscription current = current(accountId.get());
    // Ending or suspending an old subscription must not end the one the account moved to; a new one
    // may activate.
    Optional<EventOutcome> notApplicable =
        EventOutcome.notApplicable(
            current,
            Optional.of(subscriptionId).filter(id -> status != SubscriptionStatus.ACTIVE),
            event.created());
    if (notApplicable.isPresent()) {
      return notApplicable.get();
    }
    Optional<String> planId = text(resource, "plan_id");
    Optional<String> plan =
        planId
            .flatMap(
                id ->
                    plans.entrySet().stream()
                        .filter(e -> e.getValue().equals(id))
                        .map(Map.Entry::getKey)
                        .findFirst())
            .or(() -> planId);
    Optional<Instant> periodEnd =
        text(resource, "billing_info", "next_billing_time").flatMap(PayPalEventProcessor::instant);
    Subscription linked =
        current
            .linkedTo(
                PROVIDER, text(resource, "subscriber", "payer_id"), Optional.of(subscriptionId))
            .onPlan(plan, planId)
            .forPeriod(periodEnd, false);
    // SUSPENDED after failed payments: access continues only for a subscription that had it.
    Subscription next =
        (status == SubscriptionStatus.PAST_DUE
                ? linked.paymentFailed(event.created())
                : linked.movedTo(status, event.created()))
            .savedAt(clock.instant());
    store.saveSubscription(next);
    // The subscription's last payment: on activation, the first one (absent when nothing was paid
    // yet).
    return EventOutcome.processed(
        next.status().id(),
        current,
        next,
        SubscriptionStarted.Amount.ofDecimal(
            text(resource, "billing_info", "last_payment", "amount", "value"),
            text(resource, "billing_info", "last_payment", "amount", "currency_code")));
  }

  private EventOutcome saleCompleted(StoredEvent event, JsonNode sale) {
    String saleId = required(sale, "resource.id", "id");
    String subscriptionId = required(sale, "resource.billing_agreement_id", "billing_agreement_id");
    Optional<String> accountId =
        store
            .accountFor(PROVIDER, Optional.empty(), Optional.of(subscriptionId))
            .or(() -> text(sale, "custom").flatMap(accounts::find).map(Account::id));
    if (accountId.isEmpty()) {
      return EventOutcome.unmatchedSubscription(subscriptionId);
    }
    Subscription current = current(accountId.get());
    Optional<Long> amount = text(sale, "amount", "total").flatMap(PayPalEventProcessor::minorUnits);
    boolean recorded =
        store.recordPayment(
            PROVIDER,
            saleId,
            accountId.get(),
            amount,
            text(sale, "amount", "currency"),
            event.created(),
            event.id());
    if (!current.acceptsEventAt(event.created())) {
      return EventOutcome.processed(
          accountId.get(), recorded ? "payment recorded" : "payment already recorded", List.of());
    }
    Subscription next =
        current
            .linkedTo(PROVIDER, Optional.empty(), Optional.of(subscriptionId))
            .movedTo(SubscriptionStatus.ACTIVE, event.created())
            .savedAt(clock.instant());
    store.saveSubscription(next);
    return EventOutcome.processed(
        recorded ? "payment recorded" : "payment already recorded",
        current,
        next,
        SubscriptionStarted.Amount.ofDecimal(
            text(sale, "amount", "total"), text(sale, "amount", "currency")));
  }

  private static Optional<Instant> instant(String text) {
    try {
      return Optional.of(Instant.parse(text));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /**
   * PayPal sends amounts as decimal strings ({@code "10.00"}); stored like Stripe's, in minor
   * units.
   */
  private static Optional<Long> minorUnits(String decimal) {
    try {
      return Optional.of(new BigDecimal(decimal).movePointRight(2).longValueExact());
    } catch (NumberFormatException | ArithmeticException e) {
      return Optional.empty();
    }
  }

  /** The account's subscription, locked for this event's transaction; none yet is a fresh one. */
  private Subscription current(String accountId) {
    return store
        .subscriptionForUpdate(accountId)
        .orElseGet(() -> Subscription.none(accountId, PROVIDER, clock.instant()));
  }
}
