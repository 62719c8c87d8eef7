package dev.switchboard.payments;

import dev.switchboard.platform.integrations.HealthResult;
import java.net.URI;
import java.util.Optional;

/**
 * Creates hosted checkout and billing-portal pages at a provider. Card data never touches
 * Switchboard (PCI scope stays at the provider). Implementations: {@code StripePaymentGateway},
 * {@code PayPalPaymentGateway}, {@code DevPaymentGateway} (the local dev checkout page).
 */
public interface PaymentGateway {

  /** The provider id: {@code stripe}, {@code paypal}, {@code dev}. */
  String id();

  /**
   * What to create.
   *
   * @param customerId the account's provider customer from an earlier checkout, reused so one
   *     person is one customer
   * @param successUrl checked against the redirect allowlist; may contain Stripe's {@code
   *     {CHECKOUT_SESSION_ID}}
   * @param idempotencyKey sent to the provider; the same key within 24 h returns the same session
   *     instead of a new one
   */
  record CheckoutRequest(
      String accountId,
      String email,
      Optional<String> customerId,
      Plans.Plan plan,
      String successUrl,
      String cancelUrl,
      String idempotencyKey) {}

  /** The created session: where to send the browser. */
  record CheckoutSession(String id, String url) {}

  /**
   * Creates a checkout session.
   *
   * @throws dev.switchboard.platform.http.ApiException 503 {@code provider_rate_limited} (with
   *     {@code Retry-After}) or 502 {@code provider_unavailable} once the provider kept answering
   *     429/5xx through the retries; 502 {@code provider_rejected} when it refused the request
   *     (unknown price, wrong key)
   */
  CheckoutSession checkout(CheckoutRequest request);

  /**
   * Creates a billing-portal session where the customer manages payment methods and cancels.
   *
   * @return the portal URL
   * @throws dev.switchboard.platform.http.ApiException as {@link #checkout}
   */
  String portal(String customerId, URI returnUrl, String idempotencyKey);

  /**
   * One cheap authenticated read at the provider (never on a request thread).
   *
   * @throws Exception when the provider cannot be reached
   */
  HealthResult health() throws Exception;
}
