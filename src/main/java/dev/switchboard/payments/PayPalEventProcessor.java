package dev.switchboard.payments;

import static dev.switchboard.payments.EventFields.required;
import static dev.switchboard.payments.EventFields.text;

import dev.switchboard.auth.Account;
import dev.switchboard.auth.Accounts;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Applies PayPal webhook events to the same subscription state as Stripe's: {@code BILLING.SUBSCRIPTION.ACTIVATED}
 * → active, {@code CANCELLED} → canceled, {@code SUSPENDED} → past_due, {@code PAYMENT.SALE.COMPLETED} → payment
 * recorded once per sale, active. The account comes from the subscription's {@code custom_id} (set at checkout) or
 * from the subscription id already linked; state only moves forward in the events' {@code create_time}.
 *
 * @see <a href="https://developer.paypal.com/api/rest/webhooks/event-names/#subscriptions">PayPal subscription events</a>
 */
public final class PayPalEventProcessor implements EventProcessor {

  static final String PROVIDER = "paypal";

  private final PaymentStore store;
  private final Accounts accounts;
  private final Map<String, String> plans;
  private final Clock clock;
  private final JsonMapper json;

  /** @param plans plan name to PayPal billing plan id ({@code PAYPAL_PLANS}) */
  public PayPalEventProcessor(PaymentStore store, Accounts accounts, Map<String, String> plans, Clock clock,
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
    if (!resource.isObject() && !event.type().startsWith("BILLING.SUBSCRIPTION.")
        && !event.type().equals("PAYMENT.SALE.COMPLETED")) {
      return EventOutcome.of(StoredEvent.IGNORED, "event type not handled");
    }
    if (!resource.isObject()) {
      throw new MalformedEvent("missing resource");
    }
    return switch (event.type()) {
      case "BILLING.SUBSCRIPTION.ACTIVATED" -> subscription(event, resource, Subscription.ACTIVE);
      case "BILLING.SUBSCRIPTION.CANCELLED" -> subscription(event, resource, Subscription.CANCELED);
      case "BILLING.SUBSCRIPTION.SUSPENDED" -> subscription(event, resource, Subscription.PAST_DUE);
      case "PAYMENT.SALE.COMPLETED" -> saleCompleted(event, resource);
      default -> EventOutcome.of(StoredEvent.IGNORED, "event type not handled");
    };
  }

  private EventOutcome subscription(StoredEvent event, JsonNode resource, String status) {
    String subscriptionId = required(resource, "resource.id", "id");
    Optional<String> accountId = text(resource, "custom_id").flatMap(accounts::find).map(Account::id)
        .or(() -> store.accountFor(PROVIDER, Optional.empty(), Optional.of(subscriptionId)));
    if (accountId.isEmpty()) {
      return EventOutcome.of(StoredEvent.UNMATCHED, "no account for subscription " + subscriptionId);
    }
    Subscription current = store.subscriptionForUpdate(accountId.get())
        .orElseGet(() -> Subscription.none(accountId.get(), PROVIDER, clock.instant()));
    // Ending or suspending an old subscription must not end the one the account moved to; a new one may activate.
    if (!status.equals(Subscription.ACTIVE)
        && current.subscriptionId().filter(id -> !id.equals(subscriptionId)).isPresent()) {
      return new EventOutcome(StoredEvent.IGNORED, "about another subscription than the account's", accountId,
          List.of(), List.of());
    }
    if (!current.acceptsEventAt(event.created())) {
      return new EventOutcome(StoredEvent.IGNORED, "stale: a newer event was applied", accountId, List.of(), List.of());
    }
    Optional<String> planId = text(resource, "plan_id");
    Optional<String> plan = planId.flatMap(id -> plans.entrySet().stream().filter(e -> e.getValue().equals(id))
        .map(Map.Entry::getKey).findFirst()).or(() -> planId);
    Optional<Instant> periodEnd = text(resource, "billing_info", "next_billing_time").flatMap(PayPalEventProcessor::instant);
    Subscription next = new Subscription(accountId.get(), PROVIDER,
        text(resource, "subscriber", "payer_id").or(current::customerId), Optional.of(subscriptionId),
        plan.or(current::plan), planId.or(current::price), status, periodEnd.or(current::currentPeriodEnd), false,
        Optional.of(event.created()), clock.instant());
    store.saveSubscription(next);
    List<Object> published = new ArrayList<>();
    if (!current.entitled() && next.entitled()) {
      published.add(new SubscriptionStarted(accountId.get(), next.plan().orElse(""), next.price().orElse("")));
    } else if (current.entitled() && !next.entitled()) {
      published.add(new SubscriptionEnded(accountId.get(), current.plan().orElse("")));
    }
    return EventOutcome.processed(accountId.get(), status, published);
  }

  private EventOutcome saleCompleted(StoredEvent event, JsonNode sale) {
    String saleId = required(sale, "resource.id", "id");
    String subscriptionId = required(sale, "resource.billing_agreement_id", "billing_agreement_id");
    Optional<String> accountId = store.accountFor(PROVIDER, Optional.empty(), Optional.of(subscriptionId))
        .or(() -> text(sale, "custom").flatMap(accounts::find).map(Account::id));
    if (accountId.isEmpty()) {
      return EventOutcome.of(StoredEvent.UNMATCHED, "no account for subscription " + subscriptionId);
    }
    Subscription current = store.subscriptionForUpdate(accountId.get())
        .orElseGet(() -> Subscription.none(accountId.get(), PROVIDER, clock.instant()));
    Optional<Long> amount = text(sale, "amount", "total").flatMap(PayPalEventProcessor::minorUnits);
    boolean recorded = store.recordPayment(PROVIDER, saleId, accountId.get(), amount,
        text(sale, "amount", "currency"), event.created(), event.id());
    boolean fresh = current.acceptsEventAt(event.created());
    if (fresh) {
      store.saveSubscription(new Subscription(accountId.get(), PROVIDER, current.customerId(),
          Optional.of(subscriptionId), current.plan(), current.price(), Subscription.ACTIVE, current.currentPeriodEnd(),
          current.cancelAtPeriodEnd(), Optional.of(event.created()), clock.instant()));
    }
    return EventOutcome.processed(accountId.get(), recorded ? "payment recorded" : "payment already recorded",
        fresh && !current.entitled() ? List.of(new SubscriptionStarted(accountId.get(), current.plan().orElse(""),
            current.price().orElse(""))) : List.of());
  }

  private static Optional<Instant> instant(String text) {
    try {
      return Optional.of(Instant.parse(text));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** PayPal sends amounts as decimal strings ({@code "10.00"}); stored like Stripe's, in minor units. */
  private static Optional<Long> minorUnits(String decimal) {
    try {
      return Optional.of(new BigDecimal(decimal).movePointRight(2).longValueExact());
    } catch (NumberFormatException | ArithmeticException e) {
      return Optional.empty();
    }
  }
}
