package dev.switchboard.payments;

/**
 * Published inside the transaction that ends an account's active subscription (deleted at the
 * provider); see {@link SubscriptionStarted} for choosing a listener's phase.
 *
 * @param accountId the account whose subscription ended
 * @param plan the plan it had
 */
public record SubscriptionEnded(String accountId, String plan) {}
