package dev.switchboard.payments.stripe;

import com.stripe.StripeClient;
import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.StripeException;
import com.stripe.model.checkout.Session;
import com.stripe.net.RequestOptions;
import com.stripe.param.checkout.SessionCreateParams;
import dev.switchboard.payments.PaymentGateway;
import dev.switchboard.platform.config.Rate;
import dev.switchboard.platform.config.Secret;
import dev.switchboard.platform.http.ApiException;
import dev.switchboard.platform.integrations.HealthResult;
import dev.switchboard.platform.ratelimit.RateLimiter;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stripe Checkout and the billing portal through stripe-java's instance {@link StripeClient} (no
 * global state, API base overridable so tests talk to a local server). Retries are stripe-java's
 * (exponential backoff with jitter, on connection errors, 409, 429 and 5xx, and when Stripe says
 * {@code Stripe-Should-Retry}); every create carries our {@code Idempotency-Key}, so a retry or a
 * double click never makes a second session.
 *
 * @see <a href="https://docs.stripe.com/api/checkout/sessions/create">Create a Checkout Session</a>
 * @see <a href="https://docs.stripe.com/api/customer_portal/sessions/create">Create a portal
 *     session</a>
 */
public final class StripePaymentGateway implements PaymentGateway {

  public static final String ID = "stripe";
  private static final Logger log = LoggerFactory.getLogger(StripePaymentGateway.class);
  static final int MAX_RETRIES = 2;

  private final StripeClient client;
  private final Optional<String> apiVersion;

  public StripePaymentGateway(
      Secret secretKey, URI apiBase, Optional<String> apiVersion, RateLimiter limiter, Rate rate) {
    String base = apiBase.toString().replaceAll("/+$", "");
    this.client =
        StripeClient.builder()
            .setApiKey(secretKey.reveal())
            .setApiBase(base)
            .setConnectBase(base)
            .setFilesBase(base)
            .setMaxNetworkRetries(MAX_RETRIES)
            .setConnectTimeout(5_000)
            .setReadTimeout(20_000)
            .setHttpClient(new RateLimitedStripeHttpClient(limiter, rate))
            .build();
    this.apiVersion = apiVersion;
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public CheckoutSession checkout(CheckoutRequest request) {
    SessionCreateParams.Builder params =
        SessionCreateParams.builder()
            .setMode(
                request.plan().oneTime()
                    ? SessionCreateParams.Mode.PAYMENT
                    : SessionCreateParams.Mode.SUBSCRIPTION)
            .addLineItem(
                SessionCreateParams.LineItem.builder()
                    .setPrice(request.plan().price())
                    .setQuantity(1L)
                    .build())
            .setSuccessUrl(request.successUrl())
            .setCancelUrl(request.cancelUrl())
            .setClientReferenceId(request.accountId())
            .putMetadata("plan", request.plan().name())
            .putMetadata("price", request.plan().price());
    if (!request.plan().oneTime()) {
      // Stripe copies subscription metadata onto every invoice, so invoices find the account even
      // before the
      // checkout.session.completed event arrives.
      params.setSubscriptionData(
          SessionCreateParams.SubscriptionData.builder()
              .putMetadata(StripeEventProcessor.ACCOUNT_METADATA, request.accountId())
              .putMetadata("plan", request.plan().name())
              .build());
    }
    if (request.customerId().isPresent()) {
      params.setCustomer(request.customerId().get());
    } else {
      params.setCustomerEmail(request.email());
      if (request.plan().oneTime()) {
        // Subscriptions always create a customer; a one-time payment only when asked, and the next
        // checkout reuses it.
        params.setCustomerCreation(SessionCreateParams.CustomerCreation.ALWAYS);
      }
    }
    try {
      Session session =
          client
              .v1()
              .checkout()
              .sessions()
              .create(params.build(), options(request.idempotencyKey()));
      return new CheckoutSession(session.getId(), session.getUrl());
    } catch (StripeException e) {
      throw translate(e, "checkout");
    }
  }

  @Override
  public String portal(String customerId, URI returnUrl, String idempotencyKey) {
    var params =
        com.stripe.param.billingportal.SessionCreateParams.builder()
            .setCustomer(customerId)
            .setReturnUrl(returnUrl.toString())
            .build();
    try {
      return client
          .v1()
          .billingPortal()
          .sessions()
          .create(params, options(idempotencyKey))
          .getUrl();
    } catch (StripeException e) {
      throw translate(e, "billing portal");
    }
  }

  @Override
  public HealthResult health() throws StripeException {
    var balance = client.v1().balance().retrieve(options(null));
    return HealthResult.up("API reachable with the key (livemode " + balance.getLivemode() + ")");
  }

  private RequestOptions options(String idempotencyKey) {
    RequestOptions.RequestOptionsBuilder options = RequestOptions.builder();
    if (idempotencyKey != null) {
      options.setIdempotencyKey(idempotencyKey);
    }
    apiVersion.ifPresent(
        v -> RequestOptions.RequestOptionsBuilder.unsafeSetStripeVersionOverride(options, v));
    return options.build();
  }

  /**
   * Stripe's answer after the retries, as our error shape; 5xx messages stay generic and carry
   * Stripe's request id.
   */
  static ApiException translate(StripeException e, String what) {
    Integer status = e.getStatusCode();
    String request = e.getRequestId() == null ? "" : " (Stripe request " + e.getRequestId() + ")";
    if (status != null && status == 429) {
      return new ApiException(
          503,
          "provider_rate_limited",
          "Stripe is rate limiting requests; try the "
              + what
              + " again in a few seconds"
              + request
              + ".",
          true,
          null,
          Map.of("Retry-After", "5"));
    }
    if (e instanceof ApiConnectionException || status == null || status >= 500) {
      return new ApiException(
          502,
          "provider_unavailable",
          "Stripe could not be reached or failed; try the "
              + what
              + " again shortly"
              + request
              + ".",
          true,
          null,
          Map.of("Retry-After", "30"));
    }
    if (status == 401 || status == 403) {
      return new ApiException(
          502,
          "provider_misconfigured",
          "Stripe refused the configured STRIPE_SECRET_KEY" + request + ".");
    }
    log.warn("Stripe refused the {}: status {}, code {}{}", what, status, e.getCode(), request);
    return new ApiException(
        502,
        "provider_rejected",
        "Stripe refused the "
            + what
            + (e.getCode() == null ? "" : " (" + e.getCode() + ")")
            + request
            + ".");
  }
}
