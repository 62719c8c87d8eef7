package dev.switchboard.payments;

import java.util.Map;

/**
 * Verifies one provider's webhook request on the exact bytes received. Implementations:
 * {@code StripeWebhookVerifier} (HMAC-SHA256, several secrets, 300 s tolerance) and {@code PayPalWebhookVerifier}
 * (PayPal's verify-webhook-signature API).
 */
public interface WebhookVerifier {

  /** The provider id in {@code POST /api/webhooks/{provider}}: {@code stripe}, {@code paypal}. */
  String provider();

  /**
   * Checks the signature on the raw body, then reads the event's identity.
   *
   * @param headers request headers, names lower-cased, first value of each
   * @param body the raw body, never re-serialised
   * @return the event's id, type and creation time
   * @throws dev.switchboard.platform.http.ApiException 400 {@code invalid_signature} (missing, malformed, wrong or
   *     expired signature) or 400 {@code malformed_event} (signed but not an event); nothing is stored then. A
   *     verifier that cannot reach its provider throws 503 {@code verification_unavailable} so the provider retries.
   */
  ReceivedEvent verify(Map<String, String> headers, byte[] body);
}
