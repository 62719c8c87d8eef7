package dev.switchboard.payments;

import java.time.Instant;
import java.util.Optional;

/**
 * An account's billing state, as the webhooks made it.
 *
 * @param status {@code none} (never subscribed), {@code active}, {@code past_due}, {@code canceled}, or the
 *     provider's own subscription status ({@code trialing}, {@code unpaid}, …) from a subscription update
 * @param lastEventAt creation time of the newest provider event applied; older events never overwrite the state
 */
public record Subscription(String accountId, String provider, Optional<String> customerId,
    Optional<String> subscriptionId, Optional<String> plan, Optional<String> price, String status,
    Optional<Instant> currentPeriodEnd, boolean cancelAtPeriodEnd, Optional<Instant> lastEventAt, Instant updatedAt) {

  public static final String NONE = "none";
  public static final String ACTIVE = "active";
  public static final String PAST_DUE = "past_due";
  public static final String CANCELED = "canceled";

  /** The state of an account with no row yet. */
  public static Subscription none(String accountId, String provider, Instant now) {
    return new Subscription(accountId, provider, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        NONE, Optional.empty(), false, Optional.empty(), now);
  }

  /** Whether the account currently has what it paid for (a failed renewal keeps access while the provider retries). */
  public boolean entitled() {
    return status.equals(ACTIVE) || status.equals(PAST_DUE) || status.equals("trialing");
  }

  /** Whether an event created at {@code created} is not older than the newest one already applied. */
  public boolean acceptsEventAt(Instant created) {
    return lastEventAt.map(last -> !created.isBefore(last)).orElse(true);
  }

  public Subscription withStatus(String newStatus) {
    return new Subscription(accountId, provider, customerId, subscriptionId, plan, price, newStatus, currentPeriodEnd,
        cancelAtPeriodEnd, lastEventAt, updatedAt);
  }
}
