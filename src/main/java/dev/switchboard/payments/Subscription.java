package dev.switchboard.payments;

import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * An account's billing state, as the webhooks made it. The processors change it only through the
 * transitions below, so each event states what it changes and nothing is rebuilt by position.
 *
 * @param lastEventAt creation time of the newest provider event applied; older events never
 *     overwrite the state
 */
public record Subscription(
    String accountId,
    String provider,
    Optional<String> customerId,
    Optional<String> subscriptionId,
    Optional<String> plan,
    Optional<String> price,
    SubscriptionStatus status,
    Optional<Instant> currentPeriodEnd,
    boolean cancelAtPeriodEnd,
    Optional<Instant> lastEventAt,
    Instant updatedAt) {

  /** The state of an account with no row yet. */
  public static Subscription none(String accountId, String provider, Instant now) {
    return new Subscription(
        accountId,
        provider,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        SubscriptionStatus.NONE,
        Optional.empty(),
        false,
        Optional.empty(),
        now);
  }

  /**
   * Whether the account currently has what it paid for (a failed renewal keeps access while the
   * provider retries).
   */
  public boolean entitled() {
    return status.entitled();
  }

  /**
   * Whether an event created at {@code created} is not older than the newest one already applied.
   */
  public boolean acceptsEventAt(Instant created) {
    return lastEventAt.map(last -> !created.isBefore(last)).orElse(true);
  }

  /**
   * Whether an event about {@code otherId} concerns another subscription than the one this account
   * has now.
   */
  public boolean isAnotherThan(String otherId) {
    return subscriptionId.filter(id -> !id.equals(otherId)).isPresent();
  }

  /**
   * The provider's customer and subscription as an event names them; an absent one keeps what is
   * known.
   */
  public Subscription linkedTo(
      String provider, Optional<String> customer, Optional<String> subscription) {
    return with(
        d -> {
          d.provider = provider;
          d.customerId = customer.or(() -> customerId);
          d.subscriptionId = subscription.or(() -> subscriptionId);
        });
  }

  /**
   * Facts a late event may still add: ids and plan only where none is known yet; the status stays.
   */
  public Subscription filledFrom(
      Optional<String> customer,
      Optional<String> subscription,
      Optional<String> newPlan,
      Optional<String> newPrice) {
    return with(
        d -> {
          d.customerId = customerId.or(() -> customer);
          d.subscriptionId = subscriptionId.or(() -> subscription);
          d.plan = plan.or(() -> newPlan);
          d.price = price.or(() -> newPrice);
        });
  }

  /** The plan and price; an absent one keeps the current. */
  public Subscription onPlan(Optional<String> newPlan, Optional<String> newPrice) {
    return with(
        d -> {
          d.plan = newPlan.or(() -> plan);
          d.price = newPrice.or(() -> price);
        });
  }

  /** The period end (an absent one keeps the current) and whether the subscription ends with it. */
  public Subscription forPeriod(Optional<Instant> periodEnd, boolean cancelsAtPeriodEnd) {
    return with(
        d -> {
          d.currentPeriodEnd = periodEnd.or(() -> currentPeriodEnd);
          d.cancelAtPeriodEnd = cancelsAtPeriodEnd;
        });
  }

  /**
   * The status an event created at {@code eventCreated} sets; later events older than it are stale.
   */
  public Subscription movedTo(SubscriptionStatus newStatus, Instant eventCreated) {
    return with(
        d -> {
          d.status = newStatus;
          d.lastEventAt = Optional.of(eventCreated);
        });
  }

  /**
   * A payment failed. A subscription that had access keeps it while the provider retries ({@code
   * past_due}); one that never had access does not gain it: a first payment that failed is {@code
   * incomplete}, and an ended subscription stays ended.
   */
  public Subscription paymentFailed(Instant eventCreated) {
    SubscriptionStatus next =
        entitled()
            ? SubscriptionStatus.PAST_DUE
            : status == SubscriptionStatus.NONE ? SubscriptionStatus.INCOMPLETE : status;
    return movedTo(next, eventCreated);
  }

  /** Stamped with the time it was saved. */
  public Subscription savedAt(Instant now) {
    return with(d -> d.updatedAt = now);
  }

  /** This state with the fields {@code change} sets on a copy; the others stay as they are. */
  private Subscription with(Consumer<Draft> change) {
    Draft d = new Draft(this);
    change.accept(d);
    return new Subscription(
        d.accountId,
        d.provider,
        d.customerId,
        d.subscriptionId,
        d.plan,
        d.price,
        d.status,
        d.currentPeriodEnd,
        d.cancelAtPeriodEnd,
        d.lastEventAt,
        d.updatedAt);
  }

  /** A mutable copy the transitions above change by name, never by position. */
  private static final class Draft {
    final String accountId;
    String provider;
    Optional<String> customerId;
    Optional<String> subscriptionId;
    Optional<String> plan;
    Optional<String> price;
    SubscriptionStatus status;
    Optional<Instant> currentPeriodEnd;
    boolean cancelAtPeriodEnd;
    Optional<Instant> lastEventAt;
    Instant updatedAt;

    Draft(Subscription s) {
      accountId = s.accountId;
      provider = s.provider;
      customerId = s.customerId;
      subscriptionId = s.subscriptionId;
      plan = s.plan;
      price = s.price;
      status = s.status;
      currentPeriodEnd = s.currentPeriodEnd;
      cancelAtPeriodEnd = s.cancelAtPeriodEnd;
      lastEventAt = s.lastEventAt;
      updatedAt = s.updatedAt;
    }
  }
}
