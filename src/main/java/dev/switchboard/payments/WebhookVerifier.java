package dev.switchboard.payments;

/**
 * Payments' name for the platform's {@link dev.switchboard.platform.webhooks.WebhookVerifier} port,
 * reading a payload into its event's identity. Implementations: {@code StripeWebhookVerifier}
 * (HMAC-SHA256, several secrets, 300 s tolerance) and {@code PayPalWebhookVerifier} (PayPal's
 * verify-webhook-signature API).
 */
public interface WebhookVerifier
    extends dev.switchboard.platform.webhooks.WebhookVerifier<ReceivedEvent> {}
