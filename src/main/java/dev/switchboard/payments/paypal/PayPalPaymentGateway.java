package dev.switchboard.payments.paypal;

import dev.switchboard.payments.PaymentGateway;
import dev.switchboard.platform.http.ApiException;
import dev.switchboard.platform.integrations.HealthResult;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * PayPal subscriptions: checkout creates a subscription for the plan's PayPal billing plan ({@code
 * PAYPAL_PLANS}) and returns its {@code approve} link; the account id travels as {@code custom_id}
 * and comes back on every {@code BILLING.SUBSCRIPTION.*} webhook. Every create carries {@code
 * PayPal-Request-Id}, so a retry returns the same subscription. One-time payments through PayPal
 * (Orders v2) are not offered: {@code 400 unsupported_plan}.
 *
 * @see <a
 *     href="https://developer.paypal.com/docs/api/subscriptions/v1/#subscriptions_create">Create
 *     subscription</a>
 */
public final class PayPalPaymentGateway implements PaymentGateway {

  public static final String ID = "paypal";

  private final PayPalApi api;
  private final Map<String, String> plans;

  /**
   * @param plans {@code PAYPAL_PLANS}: our plan name to PayPal's billing plan id
   */
  PayPalPaymentGateway(PayPalApi api, Map<String, String> plans) {
    this.api = api;
    this.plans = Map.copyOf(plans);
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public CheckoutSession checkout(CheckoutRequest request) {
    if (request.plan().oneTime()) {
      throw new ApiException(
          400,
          "unsupported_plan",
          "One-time plans are paid with Stripe; PayPal takes subscriptions.",
          false,
          "provider",
          Map.of());
    }
    String planId = plans.get(request.plan().name());
    if (planId == null) {
      throw new ApiException(
          400,
          "unknown_plan",
          "Plan '"
              + request.plan().name()
              + "' has no PayPal billing plan; add it to PAYPAL_PLANS.",
          false,
          "plan",
          Map.of());
    }
    ObjectNode body = api.json().createObjectNode();
    body.put("plan_id", planId).put("custom_id", request.accountId());
    body.putObject("subscriber").put("email_address", request.email());
    body.putObject("application_context")
        .put("return_url", request.successUrl())
        .put("cancel_url", request.cancelUrl())
        .put("user_action", "SUBSCRIBE_NOW")
        .put("shipping_preference", "NO_SHIPPING");
    JsonNode created =
        api.post(
            "/v1/billing/subscriptions",
            api.json().writeValueAsString(body),
            Optional.of(request.idempotencyKey()));
    String id = created.path("id").asString("");
    for (JsonNode link : created.path("links")) {
      if ("approve".equals(link.path("rel").asString(""))) {
        return new CheckoutSession(id, link.path("href").asString());
      }
    }
    throw new ApiException(
        502, "provider_rejected", "PayPal created the subscription without an approval link.");
  }

  @Override
  public String portal(String customerId, URI returnUrl, String idempotencyKey) {
    throw new ApiException(
        409, "no_portal", "PayPal subscribers manage their subscription in their PayPal account.");
  }

  @Override
  public HealthResult health() {
    api.token();
    return HealthResult.up("OAuth2 token issued for the client id");
  }
}
