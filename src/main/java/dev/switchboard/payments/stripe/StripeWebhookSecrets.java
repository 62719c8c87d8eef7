package dev.switchboard.payments.stripe;

import dev.switchboard.platform.config.Secret;
import java.util.List;

/**
 * The Stripe webhook signing secrets in force ({@code STRIPE_WEBHOOK_SECRET}, a list during a
 * rotation), and whether the one in use was generated for the dev checkout. Empty: Stripe webhooks
 * are not accepted.
 */
public record StripeWebhookSecrets(List<Secret> secrets, boolean generated) {

  public StripeWebhookSecrets {
    secrets = List.copyOf(secrets);
  }
}
