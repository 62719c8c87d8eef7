package dev.switchboard.payments.stripe;

import static dev.switchboard.payments.EventPayloads.malformed;

import dev.switchboard.payments.EventFields;
import dev.switchboard.payments.EventPayloads;
import dev.switchboard.payments.ReceivedEvent;
import dev.switchboard.payments.WebhookVerifier;
import dev.switchboard.platform.config.Secret;
import dev.switchboard.platform.crypto.Digests;
import dev.switchboard.platform.webhooks.ReplayWindow;
import dev.switchboard.platform.webhooks.WebhookSignatures;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stripe's v1 webhook signature: {@code Stripe-Signature: t=<unix>,v1=<hex>[,v1=<hex>…]}, where
 * each {@code v1} is lowercase hex HMAC-SHA256 over {@code "<t>." + raw body}, keyed with the
 * {@code whsec_…} string as UTF-8 bytes. The body is taken as received: a parsed and re-serialised
 * body no longer matches. Several secrets are held during a rotation (Stripe signs with both while
 * the old one is still active), and every secret is compared with every {@code v1} in constant
 * time. A timestamp more than 300 s away from our clock is refused, so a captured request cannot be
 * replayed later; the event id dedupe covers replays inside the window.
 *
 * @see <a href="https://docs.stripe.com/webhooks#verify-manually">Stripe: verify signatures
 *     manually</a>
 */
public final class StripeWebhookVerifier implements WebhookVerifier {

  public static final String PROVIDER = "stripe";
  public static final Duration TOLERANCE = Duration.ofSeconds(300);

  private final List<byte[]> keys;
  private final ReplayWindow window;
  private final JsonMapper json;
  private final StripeEnvelope envelope;

  /**
   * @param secrets every accepted {@code whsec_…} secret, at least one
   * @throws IllegalArgumentException when there is none
   */
  public StripeWebhookVerifier(List<Secret> secrets, Clock clock, JsonMapper json) {
    this.keys = WebhookSignatures.hmacKeys(secrets, StripeWebhookVerifier::key);
    this.window = new ReplayWindow(clock, TOLERANCE);
    this.json = json;
    this.envelope = new StripeEnvelope(json);
  }

  @Override
  public String provider() {
    return PROVIDER;
  }

  @Override
  public ReceivedEvent verify(Map<String, String> headers, byte[] body) {
    String header = headers.get("stripe-signature");
    if (header == null || header.isBlank()) {
      throw WebhookSignatures.invalid("The Stripe-Signature header is missing.");
    }
    Long timestamp = null;
    List<byte[]> signatures = new ArrayList<>();
    for (String part : header.split(",")) {
      String[] kv = part.trim().split("=", 2);
      if (kv.length != 2) {
        continue;
      }
      if (kv[0].equals("t")) {
        timestamp =
            WebhookSignatures.seconds(kv[1], "The Stripe-Signature timestamp is not a number.");
      } else if (kv[0].equals("v1")) {
        try {
          signatures.add(HexFormat.of().parseHex(kv[1].trim()));
        } catch (IllegalArgumentException e) {
          // A malformed entry can never match; the others may still do.
        }
      }
    }
    if (timestamp == null || signatures.isEmpty()) {
      throw WebhookSignatures.invalid(
          "The Stripe-Signature header needs t= and at least one v1= signature.");
    }
    window.requireFresh(
        timestamp,
        "The Stripe-Signature timestamp is more than 300 seconds from now; a replay is refused.");
    if (!WebhookSignatures.anyHmacSha256Matches(keys, timestamp + ".", body, signatures)) {
      throw WebhookSignatures.invalid(
          "No v1 signature matches the body with a configured STRIPE_WEBHOOK_SECRET.");
    }
    return envelope.read(body).orElseGet(() -> parse(body));
  }

  /**
   * The {@code Stripe-Signature} header Stripe sends for {@code body} at {@code timestamp}: {@code
   * t=<t>,v1=<hex>}. Signing sits beside verifying over the one {@link Digests#hmacSha256} (as
   * stripe-java's {@code Webhook.Signature .generateSignatureHeader} beside {@code verifyHeader}),
   * so the dev checkout and tests sign with the primitive the verifier checks, never a copy of it.
   */
  public static String signatureHeader(Secret secret, long timestamp, byte[] body) {
    byte[] signature =
        Digests.hmacSha256(key(secret), (timestamp + ".").getBytes(StandardCharsets.UTF_8), body);
    return "t=" + timestamp + ",v1=" + HexFormat.of().formatHex(signature);
  }

  /** Stripe keys its HMAC with the {@code whsec_…} text itself, as UTF-8 bytes. */
  private static byte[] key(Secret secret) {
    return secret.reveal().trim().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Only the envelope and the customer the object names are read here (one parse on the request
   * thread); the object is read by the event processor, whatever the API version. {@link
   * StripeEnvelope} reads the usual event without the tree; this parse answers the rest, and every
   * refusal.
   */
  ReceivedEvent parse(byte[] body) {
    JsonNode event = EventPayloads.object(json, body, "Stripe");
    JsonNode id = event.path("id");
    JsonNode type = event.path("type");
    JsonNode created = event.path("created");
    if (!id.isString() || id.stringValue().isBlank() || id.stringValue().length() > 255) {
      throw malformed("The event has no id.");
    }
    if (!type.isString() || type.stringValue().isBlank() || type.stringValue().length() > 120) {
      throw malformed("The event has no type.");
    }
    if (!created.isIntegralNumber()) {
      throw malformed("The event has no created time.");
    }
    return new ReceivedEvent(
        PROVIDER,
        id.stringValue(),
        type.stringValue(),
        Instant.ofEpochSecond(created.longValue()),
        new String(body, StandardCharsets.UTF_8),
        EventFields.text(event, "data", "object", "customer"));
  }
}
