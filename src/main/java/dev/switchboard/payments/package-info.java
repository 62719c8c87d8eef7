/**
 * Payments: checkout and subscriptions, fulfilled only from verified, deduplicated provider
 * webhooks.
 *
 * <p>Providers, one folder each with its configuration, event processor and health check: {@code
 * stripe} (stripe-java's {@code StripeClient}), {@code paypal} (plain REST), and {@code dev}, the
 * embedded checkout page that emits Stripe-format signed webhooks through the real {@code
 * /api/webhooks/stripe} path (development only). Every webhook is verified on its raw bytes, stored
 * keyed by the provider's event id, answered at once and applied by a job ({@link
 * dev.switchboard.payments.PaymentEventJob}); the subscription state only ever moves forward in the
 * provider's event time. Publishes {@link dev.switchboard.payments.SubscriptionStarted} and {@link
 * dev.switchboard.payments.SubscriptionEnded}.
 */
package dev.switchboard.payments;
