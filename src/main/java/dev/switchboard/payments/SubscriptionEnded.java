package dev.switchboard.payments;

/**
 * Published (after the commit) when an account's active subscription ends (deleted at the
 * provider).
 *
 * @param accountId the account whose subscription ended
 * @param plan the plan it had
 */
public record SubscriptionEnded(String accountId, String plan) {}
