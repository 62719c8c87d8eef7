package dev.switchboard.email.sendgrid;

import dev.switchboard.email.DeliveryEvent;
import dev.switchboard.email.DeliveryPayloads;
import dev.switchboard.platform.webhooks.ReplayWindow;
import dev.switchboard.platform.webhooks.WebhookSignatures;
import dev.switchboard.platform.webhooks.WebhookVerifier;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * SendGrid's signed Event Webhook: an ECDSA P-256 / SHA-256 signature over the timestamp header
 * followed by the raw body, checked with the verification key SendGrid shows (base64 DER
 * SubjectPublicKeyInfo). SendGrid documents no replay window, so timestamps more than five minutes
 * old or ahead are refused, as its own libraries do.
 *
 * @see <a
 *     href="https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/getting-started-event-webhook-security-features">Event
 *     Webhook security</a>
 * @see <a href="https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/event">Event
 *     Webhook reference</a>
 */
public final class SendGridWebhookVerifier implements WebhookVerifier<List<DeliveryEvent>> {

  public static final String PROVIDER = "sendgrid";
  static final String SIGNATURE_HEADER = "x-twilio-email-event-webhook-signature";
  static final String TIMESTAMP_HEADER = "x-twilio-email-event-webhook-timestamp";
  static final Duration TOLERANCE = Duration.ofMinutes(5);

  private final PublicKey publicKey;
  private final ReplayWindow window;
  private final JsonMapper json;

  /**
   * @param publicKey the verification key: base64 of the DER SubjectPublicKeyInfo (PEM armour is
   *     tolerated)
   * @throws IllegalArgumentException when it is not a P-256 public key; the message never contains
   *     the key
   */
  public SendGridWebhookVerifier(String publicKey, Clock clock, JsonMapper json) {
    this.publicKey = parseKey(publicKey);
    this.window = new ReplayWindow(clock, TOLERANCE);
    this.json = json;
  }

  @Override
  public String provider() {
    return PROVIDER;
  }

  @Override
  public List<DeliveryEvent> verify(Map<String, String> headers, byte[] body) {
    String timestamp = headers.get(TIMESTAMP_HEADER);
    String signature = headers.get(SIGNATURE_HEADER);
    if (timestamp == null || signature == null) {
      throw WebhookSignatures.invalid(
          "The " + SIGNATURE_HEADER + " and " + TIMESTAMP_HEADER + " headers are required.");
    }
    window.check(
        timestamp,
        "The webhook timestamp is not a number of seconds.",
        "The webhook timestamp is more than 5 minutes away from now; a replay is refused.");
    if (!signatureMatches(timestamp, signature.trim(), body)) {
      throw WebhookSignatures.invalid(
          "The signature does not match the body and the configured verification key.");
    }
    return SendGridEvents.parse(DeliveryPayloads.read(json, body));
  }

  private boolean signatureMatches(String timestamp, String signature, byte[] body) {
    try {
      byte[] der = Base64.getDecoder().decode(signature);
      Signature verifier = Signature.getInstance("SHA256withECDSA");
      verifier.initVerify(publicKey);
      verifier.update(timestamp.getBytes(StandardCharsets.UTF_8));
      verifier.update(body);
      return verifier.verify(der);
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      // Not base64 or not a DER signature: as wrong as a signature that does not verify.
      return false;
    }
  }

  static PublicKey parseKey(String text) {
    String base64 = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    try {
      PublicKey key =
          KeyFactory.getInstance("EC")
              .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
      if (!(key instanceof ECPublicKey ec)
          || !ec.getParams().getCurve().equals(p256().getCurve())) {
        throw new IllegalArgumentException("the key is not on the P-256 curve");
      }
      return key;
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      // No cause attached: the message is shown at startup and must not quote the configured value.
      throw new IllegalArgumentException(
          "expected the base64 DER P-256 verification key SendGrid shows under "
              + "Settings > Mail Settings > Event Webhook > Signature Verification");
    }
  }

  private static ECParameterSpec p256() throws GeneralSecurityException {
    AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
    parameters.init(new ECGenParameterSpec("secp256r1"));
    return parameters.getParameterSpec(ECParameterSpec.class);
  }
}
