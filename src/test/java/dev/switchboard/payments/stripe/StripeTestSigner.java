package dev.switchboard.payments.stripe;

import com.stripe.net.Webhook;
import java.time.Instant;

/**
 * Signs payloads with stripe-java's own helper, so our verifier is checked against Stripe's
 * library, not itself.
 */
public final class StripeTestSigner {

  private StripeTestSigner() {}

  /** {@code t=<at>,v1=<hex>} for {@code payload} under {@code secret}. */
  public static String header(String payload, String secret, Instant at) {
    try {
      return Webhook.Signature.generateSignatureHeader(payload, secret, at.getEpochSecond());
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
