package dev.switchboard.payments;

import java.util.Arrays;
import java.util.Optional;

/**
 * Where an account's subscription stands. The ids are what the database stores and the API answers:
 * ours ({@code none}) and Stripe's subscription statuses, which PayPal's events are mapped onto.
 *
 * @see <a href="https://docs.stripe.com/api/subscriptions/object#subscription_object-status">Stripe
 *     subscription status</a>
 */
public enum SubscriptionStatus {
  /** Never subscribed. */
  NONE("none", false),
  /** Created, but the first payment has not succeeded: nothing was ever paid, so no access. */
  INCOMPLETE("incomplete", false),
  INCOMPLETE_EXPIRED("incomplete_expired", false),
  TRIALING("trialing", true),
  ACTIVE("active", true),
  /** A renewal failed and the provider is retrying: access continues meanwhile. */
  PAST_DUE("past_due", true),
  CANCELED("canceled", false),
  UNPAID("unpaid", false),
  PAUSED("paused", false);

  private final String id;
  private final boolean entitled;

  SubscriptionStatus(String id, boolean entitled) {
    this.id = id;
    this.entitled = entitled;
  }

  /** The stored and answered form ({@code past_due}). */
  public String id() {
    return id;
  }

  /** Whether an account in this state has what it paid for. */
  public boolean entitled() {
    return entitled;
  }

  /** The status with this id, or empty for one we do not know. */
  public static Optional<SubscriptionStatus> of(String id) {
    return Arrays.stream(values()).filter(s -> s.id.equals(id)).findFirst();
  }

  @Override
  public String toString() {
    return id;
  }
}
