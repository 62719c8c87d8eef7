package dev.switchboard.payments;

import java.util.List;

/**
 * Sends Stripe-format test events through the real webhook path, for the dashboard's test buttons.
 * Only the dev checkout implements it, so the bean exists only in development without {@code
 * STRIPE_SECRET_KEY}.
 */
public interface TestEventSender {

  /**
   * Emits a signed {@code customer.subscription.deleted} for the account's subscription and
   * delivers it to {@code /api/webhooks/stripe}.
   *
   * @return the event id
   * @throws dev.switchboard.platform.http.ApiException 409 {@code no_subscription} when the account
   *     has none
   */
  String subscriptionDeleted(String accountId);

  /** The event types {@link #trigger} sends, in the order the dashboard offers them. */
  List<String> triggerable();

  /**
   * Sends one test event of {@code type} for the account, like {@code stripe trigger}: {@code
   * checkout.session.completed} (the first configured subscription plan), {@code invoice.paid} (a
   * renewal of its subscription), {@code invoice.payment_failed} (a failed renewal) or {@code
   * customer.subscription.deleted}.
   *
   * @return the event id
   * @throws dev.switchboard.platform.http.ApiException 400 {@code unknown_event_type} for another
   *     type, 404 {@code unknown_account}, 409 {@code no_subscription} when the event needs a
   *     subscription the account does not have, 409 {@code no_plans} without a subscription plan
   */
  String trigger(String type, String accountId);
}
