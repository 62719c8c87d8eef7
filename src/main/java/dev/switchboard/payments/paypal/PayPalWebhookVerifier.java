package dev.switchboard.payments.paypal;

import static dev.switchboard.payments.EventPayloads.malformed;

import dev.switchboard.payments.EventPayloads;
import dev.switchboard.payments.ReceivedEvent;
import dev.switchboard.payments.WebhookVerifier;
import dev.switchboard.platform.http.ApiException;
import dev.switchboard.platform.webhooks.WebhookSignatures;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * PayPal webhooks verified by PayPal itself: the five {@code PAYPAL-*} transmission headers, our
 * {@code PAYPAL_WEBHOOK_ID} and the event exactly as received go to {@code POST
 * /v1/notifications/verify-webhook-signature}; only {@code verification_status: SUCCESS} passes.
 * The event is spliced into the request as raw bytes, never parsed and re-written, since a
 * re-serialised event no longer matches its signature. When PayPal cannot be asked, the answer is
 * 503 so PayPal delivers again later (it retries up to 25 times over 3 days).
 *
 * @see <a
 *     href="https://developer.paypal.com/docs/api/webhooks/v1/#verify-webhook-signature_post">Verify
 *     webhook signature</a>
 */
public final class PayPalWebhookVerifier implements WebhookVerifier {

  public static final String PROVIDER = "paypal";
  private static final List<String> HEADERS =
      List.of(
          "paypal-auth-algo",
          "paypal-cert-url",
          "paypal-transmission-id",
          "paypal-transmission-sig",
          "paypal-transmission-time");

  private final PayPalApi api;
  private final String webhookId;

  PayPalWebhookVerifier(PayPalApi api, String webhookId) {
    this.api = api;
    this.webhookId = webhookId;
  }

  @Override
  public String provider() {
    return PROVIDER;
  }

  @Override
  public ReceivedEvent verify(Map<String, String> headers, byte[] body) {
    for (String name : HEADERS) {
      String value = headers.get(name);
      if (value == null || value.isBlank()) {
        throw WebhookSignatures.invalid("The " + name.toUpperCase() + " header is missing.");
      }
    }
    JsonNode event = EventPayloads.object(api.json(), body, "PayPal");
    String request =
        "{\"auth_algo\":"
            + quote(headers.get("paypal-auth-algo"))
            + ",\"cert_url\":"
            + quote(headers.get("paypal-cert-url"))
            + ",\"transmission_id\":"
            + quote(headers.get("paypal-transmission-id"))
            + ",\"transmission_sig\":"
            + quote(headers.get("paypal-transmission-sig"))
            + ",\"transmission_time\":"
            + quote(headers.get("paypal-transmission-time"))
            + ",\"webhook_id\":"
            + quote(webhookId)
            + ",\"webhook_event\":"
            + new String(body, StandardCharsets.UTF_8)
            + "}";
    JsonNode answer;
    try {
      answer = api.post("/v1/notifications/verify-webhook-signature", request, Optional.empty());
    } catch (ApiException e) {
      throw new ApiException(
          503,
          "verification_unavailable",
          "PayPal could not verify the event right now.",
          true,
          null,
          Map.of("Retry-After", "60"));
    }
    if (!"SUCCESS".equals(answer.path("verification_status").asString(""))) {
      throw WebhookSignatures.invalid("PayPal did not verify this event for PAYPAL_WEBHOOK_ID.");
    }
    String id = event.path("id").asString("");
    String type = event.path("event_type").asString("");
    if (id.isBlank() || id.length() > 255 || type.isBlank() || type.length() > 120) {
      throw malformed("The event has no id or event_type.");
    }
    Instant created;
    try {
      created = Instant.parse(event.path("create_time").asString(""));
    } catch (DateTimeParseException e) {
      throw malformed("The event has no create_time.");
    }
    return new ReceivedEvent(PROVIDER, id, type, created, new String(body, StandardCharsets.UTF_8));
  }

  private String quote(String value) {
    return api.json().writeValueAsString(value);
  }
}
