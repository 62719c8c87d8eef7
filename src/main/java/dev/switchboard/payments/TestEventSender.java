package dev.switchboard.payments;

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
}
