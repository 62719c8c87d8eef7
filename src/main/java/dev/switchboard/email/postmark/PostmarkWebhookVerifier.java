package dev.switchboard.email.postmark;

import dev.switchboard.email.DeliveryEvent;
import dev.switchboard.email.DeliveryPayloads;
import dev.switchboard.platform.config.Secret;
import dev.switchboard.platform.http.ApiException;
import dev.switchboard.platform.webhooks.WebhookSignatures;
import dev.switchboard.platform.webhooks.WebhookVerifier;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * Postmark signs nothing: its webhooks authenticate with the HTTP Basic credentials written into
 * the webhook URL ({@code https://user:password@host/api/webhooks/email/postmark}). The presented
 * pair is compared with {@code POSTMARK_WEBHOOK_CREDENTIALS} in constant time. There is no
 * timestamp to check, so a replay is caught by the event id instead: a repeated event is a
 * duplicate for the sink.
 *
 * @see <a href="https://postmarkapp.com/developer/webhooks/webhooks-overview">Postmark webhooks</a>
 */
public final class PostmarkWebhookVerifier implements WebhookVerifier<List<DeliveryEvent>> {

  public static final String PROVIDER = "postmark";
  private static final String BASIC = "basic ";

  private final Secret credentials;
  private final Clock clock;
  private final JsonMapper json;

  /**
   * @param credentials {@code user:password}, as configured and as put into the webhook URL
   */
  public PostmarkWebhookVerifier(Secret credentials, Clock clock, JsonMapper json) {
    this.credentials = credentials;
    this.clock = clock;
    this.json = json;
  }

  @Override
  public String provider() {
    return PROVIDER;
  }

  @Override
  public List<DeliveryEvent> verify(Map<String, String> headers, byte[] body) {
    if (!credentials.matches(presentedCredentials(headers.get("authorization")))) {
      throw invalidSignature();
    }
    return PostmarkEvents.parse(DeliveryPayloads.read(json, body), clock);
  }

  /**
   * The {@code user:password} of a Basic header, or null when the header is missing or not Basic
   * base64.
   */
  static String presentedCredentials(String authorization) {
    if (authorization == null
        || authorization.length() <= BASIC.length()
        || !authorization.regionMatches(true, 0, BASIC, 0, BASIC.length())) {
      return null;
    }
    try {
      return new String(
          Base64.getDecoder().decode(authorization.substring(BASIC.length()).trim()),
          StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static ApiException invalidSignature() {
    return WebhookSignatures.invalid(
        "Basic credentials matching POSTMARK_WEBHOOK_CREDENTIALS are required; put them in the webhook URL.");
  }
}
