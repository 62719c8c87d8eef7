package dev.switchboard.email;

import java.util.List;
import java.util.Map;

/**
 * Verifies one provider's delivery webhook on the raw request bytes and parses it into events.
 * Implementations: {@code SendGridWebhookVerifier} (ECDSA P-256), {@code PostmarkWebhookVerifier} (Basic auth),
 * {@code ResendWebhookVerifier} (Svix HMAC-SHA256 with timestamp tolerance and secret rotation).
 */
public interface DeliveryWebhookVerifier {

  /** The provider id in {@code POST /api/webhooks/email/{provider}}. */
  String provider();

  /**
   * Checks the signature (or credentials) on the exact bytes received, then parses them.
   *
   * @param headers request headers, names lower-cased
   * @param body the raw body, unparsed
   * @return the events in the payload (SendGrid and Postmark may batch)
   * @throws dev.switchboard.platform.http.ApiException 400 {@code invalid_signature} (missing, malformed, wrong or
   *     expired signature/credentials) or 400 {@code malformed_payload}; nothing is recorded then
   */
  List<DeliveryEvent> verify(Map<String, String> headers, byte[] body);
}
