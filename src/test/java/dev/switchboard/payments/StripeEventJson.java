package dev.switchboard.payments;

import java.time.Instant;

/**
 * Stripe snapshot events as Stripe sends them, in the shapes of two API versions, for webhook
 * tests.
 */
public final class StripeEventJson {

  private StripeEventJson() {}

  public static String event(String id, String type, Instant created, String object) {
    return "{\"id\":\""
        + id
        + "\",\"object\":\"event\",\"api_version\":\"2025-09-30.clover\",\"created\":"
        + created.getEpochSecond()
        + ",\"livemode\":false,\"pending_webhooks\":1,\"type\":\""
        + type
        + "\","
        + "\"data\":{\"object\":"
        + object
        + "}}";
  }

  public static String checkoutCompleted(
      String account, String customer, String subscription, String plan, String price) {
    return checkoutSession(
        account,
        customer,
        subscription,
        "paid",
        "{\"plan\":\"" + plan + "\",\"price\":\"" + price + "\"}");
  }

  /**
   * A subscription checkout session with the given {@code payment_status} and raw {@code metadata}
   * object.
   */
  public static String checkoutSession(
      String account, String customer, String subscription, String paymentStatus, String metadata) {
    return "{\"id\":\"cs_test_"
        + subscription
        + "\",\"object\":\"checkout.session\",\"client_reference_id\":\""
        + account
        + "\",\"customer\":\""
        + customer
        + "\",\"subscription\":\""
        + subscription
        + "\","
        + "\"mode\":\"subscription\",\"payment_status\":\""
        + paymentStatus
        + "\",\"status\":\"complete\","
        + "\"amount_total\":1900,\"currency\":\"usd\",\"metadata\":"
        + metadata
        + "}";
  }

  /**
   * An invoice in the current shape: the subscription under {@code parent.subscription_details}.
   */
  public static String invoice(
      String id,
      String customer,
      String subscription,
      String account,
      long attempt,
      Instant periodEnd) {
    return "{\"id\":\""
        + id
        + "\",\"object\":\"invoice\",\"customer\":\""
        + customer
        + "\",\"amount_paid\":1900,"
        + "\"amount_due\":1900,\"currency\":\"usd\",\"attempt_count\":"
        + attempt
        + ",\"hosted_invoice_url\":"
        + "\"https://invoice.stripe.com/i/acct_1/"
        + id
        + "\",\"parent\":{\"type\":\"subscription_details\","
        + "\"subscription_details\":{\"subscription\":\""
        + subscription
        + "\",\"metadata\":{\"account_id\":\""
        + account
        + "\"}}},\"lines\":{\"object\":\"list\",\"data\":[{\"period\":{\"start\":"
        + (periodEnd.getEpochSecond() - 2592000)
        + ",\"end\":"
        + periodEnd.getEpochSecond()
        + "}}]}}";
  }

  /**
   * An invoice as API versions before 2025-03-31 sent it: {@code subscription} and {@code
   * period_end} at the top.
   */
  public static String legacyInvoice(
      String id, String customer, String subscription, Instant periodEnd) {
    return "{\"id\":\""
        + id
        + "\",\"object\":\"invoice\",\"customer\":\""
        + customer
        + "\",\"subscription\":\""
        + subscription
        + "\",\"amount_paid\":1900,\"currency\":\"usd\",\"attempt_count\":1,\"period_end\":"
        + periodEnd.getEpochSecond()
        + ",\"lines\":{\"object\":\"list\",\"data\":[]}}";
  }

  public static String subscription(
      String id,
      String customer,
      String status,
      boolean cancelAtPeriodEnd,
      String price,
      Instant periodEnd) {
    return "{\"id\":\""
        + id
        + "\",\"object\":\"subscription\",\"customer\":\""
        + customer
        + "\",\"status\":\""
        + status
        + "\",\"cancel_at_period_end\":"
        + cancelAtPeriodEnd
        + ",\"items\":{\"object\":\"list\",\"data\":[{\"price\":"
        + "{\"id\":\""
        + price
        + "\"},\"current_period_end\":"
        + periodEnd.getEpochSecond()
        + "}]}}";
  }
}
