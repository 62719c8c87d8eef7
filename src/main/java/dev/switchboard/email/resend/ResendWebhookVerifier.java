package dev.switchboard.email.resend;

import dev.switchboard.email.DeliveryEvent;
import dev.switchboard.email.DeliveryPayloads;
import dev.switchboard.platform.config.Secret;
import dev.switchboard.platform.webhooks.ReplayWindow;
import dev.switchboard.platform.webhooks.WebhookSignatures;
import dev.switchboard.platform.webhooks.WebhookVerifier;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * Resend delivers webhooks through Svix: HMAC-SHA256 over {@code svix-id.svix-timestamp.body} with
 * the key that follows {@code whsec_} (base64), sent as space-separated {@code v1,<base64>}
 * entries. During a rotation Svix signs with old and new secrets and we hold both, so any
 * configured secret matching any {@code v1} entry passes. Timestamps more than five minutes old or
 * ahead are refused, so a captured request cannot be replayed later.
 *
 * @see <a href="https://resend.com/docs/dashboard/webhooks/verify-webhooks-requests">Verify webhook
 *     requests</a>
 * @see <a href="https://docs.svix.com/receiving/verifying-payloads/how-manual">Svix manual
 *     verification</a>
 */
public final class ResendWebhookVerifier implements WebhookVerifier<List<DeliveryEvent>> {

  public static final String PROVIDER = "resend";
  static final Duration TOLERANCE = Duration.ofMinutes(5);
  private static final String PREFIX = "whsec_";

  private final List<byte[]> keys;
  private final ReplayWindow window;
  private final JsonMapper json;

  /**
   * @param secrets the {@code whsec_…} signing secrets, newest and oldest alike during a rotation
   * @throws IllegalArgumentException when there is none, or one is not {@code whsec_} followed by
   *     base64; the message never contains a secret
   */
  public ResendWebhookVerifier(List<Secret> secrets, Clock clock, JsonMapper json) {
    this.keys = WebhookSignatures.hmacKeys(secrets, ResendWebhookVerifier::key);
    this.window = new ReplayWindow(clock, TOLERANCE);
    this.json = json;
  }

  @Override
  public String provider() {
    return PROVIDER;
  }

  @Override
  public List<DeliveryEvent> verify(Map<String, String> headers, byte[] body) {
    String id = headers.get("svix-id");
    String timestamp = headers.get("svix-timestamp");
    String signatures = headers.get("svix-signature");
    if (id == null || id.isBlank() || timestamp == null || signatures == null) {
      throw WebhookSignatures.invalid(
          "The svix-id, svix-timestamp and svix-signature headers are required.");
    }
    long seconds =
        window.check(
            timestamp,
            "The svix-timestamp header is not a number of seconds.",
            "The svix-timestamp is more than 5 minutes away from now; a replay is refused.");
    if (!WebhookSignatures.anyHmacSha256Matches(
        keys, id + "." + timestamp + ".", body, presented(signatures))) {
      throw WebhookSignatures.invalid(
          "No svix-signature matches the body and a configured RESEND_WEBHOOK_SECRET.");
    }
    return ResendEvents.parse(DeliveryPayloads.read(json, body), id, seconds);
  }

  /**
   * The {@code v1,<base64>} entries of the header, decoded; other versions and bad base64 skipped.
   */
  private static List<byte[]> presented(String header) {
    List<byte[]> presented = new ArrayList<>();
    for (String entry : header.trim().split("\\s+")) {
      if (entry.startsWith("v1,")) {
        try {
          presented.add(Base64.getDecoder().decode(entry.substring(3)));
        } catch (IllegalArgumentException e) {
          // A malformed entry can never match; the others may still do.
        }
      }
    }
    return presented;
  }

  private static byte[] key(Secret secret) {
    String value = secret.reveal().trim();
    if (!value.startsWith(PREFIX)) {
      throw new IllegalArgumentException("every signing secret must start with whsec_");
    }
    try {
      byte[] key = Base64.getDecoder().decode(value.substring(PREFIX.length()));
      if (key.length == 0) {
        throw new IllegalArgumentException("empty key");
      }
      return key;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "every signing secret must be whsec_ followed by base64, as Resend shows it");
    }
  }
}
