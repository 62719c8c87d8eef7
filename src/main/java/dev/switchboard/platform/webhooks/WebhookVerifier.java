package dev.switchboard.platform.webhooks;

import java.util.Map;

/**
 * The port every inbound provider webhook is checked through: one implementation per provider, in
 * the provider's subpackage, verifying the signature (or credentials) on the exact bytes received
 * and only then parsing them.
 *
 * <p>Payments' verifiers answer a {@code ReceivedEvent} (Stripe: HMAC-SHA256; PayPal: its verify
 * API); email's answer the delivery events of the payload (SendGrid: ECDSA P-256; Postmark: Basic
 * auth; Resend: Svix HMAC). The route passes {@link WebhookHeaders#of} as {@code headers}.
 *
 * @param <T> what a verified payload is read into
 */
public interface WebhookVerifier<T> {

  /** The provider id in the webhook's URL: {@code stripe}, {@code sendgrid}, … */
  String provider();

  /**
   * Checks the signature on the raw body, then parses it.
   *
   * @param headers request headers, names lower-cased, first value of each
   * @param body the raw body, never re-serialised
   * @return the payload as the area reads it
   * @throws dev.switchboard.platform.http.ApiException 400 {@code invalid_signature} (missing,
   *     malformed, wrong or expired signature or credentials) or 400 with the area's
   *     malformed-payload code; nothing is stored then. A verifier that cannot reach its provider
   *     throws 503 {@code verification_unavailable} so the provider retries.
   */
  T verify(Map<String, String> headers, byte[] body);
}
