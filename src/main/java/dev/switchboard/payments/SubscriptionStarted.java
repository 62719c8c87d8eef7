package dev.switchboard.payments;

/**
 * Published (after the commit) when an account's subscription becomes active, for analytics' {@code
 * subscription_started}.
 *
 * @param accountId the account that subscribed
 * @param plan the plan name from {@code PAYMENT_PLANS}, or the price id when the price is not in a
 *     plan
 * @param price the provider's price id
 */
public record SubscriptionStarted(String accountId, String plan, String price) {}
