package dev.switchboard.email.sendgrid;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

/** Signs event batches the way SendGrid does, with a key pair made for the test. */
public final class SendGridTestSigner {

  private final KeyPair keys;

  public SendGridTestSigner() {
    this("secp256r1");
  }

  SendGridTestSigner(String curve) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec(curve));
      keys = generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The verification key as SendGrid shows it: base64 of the DER SubjectPublicKeyInfo. */
  public String publicKey() {
    return Base64.getEncoder().encodeToString(keys.getPublic().getEncoded());
  }

  /** The base64 DER ECDSA signature over {@code timestamp + body}. */
  public String sign(String timestamp, byte[] body) {
    try {
      Signature signature = Signature.getInstance("SHA256withECDSA");
      signature.initSign(keys.getPrivate());
      signature.update(timestamp.getBytes(StandardCharsets.UTF_8));
      signature.update(body);
      return Base64.getEncoder().encodeToString(signature.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The two headers of a signed webhook, names lower-cased, as the verifier receives them. */
  public java.util.Map<String, String> headers(String timestamp, byte[] body) {
    return java.util.Map.of(
        SendGridWebhookVerifier.SIGNATURE_HEADER,
        sign(timestamp, body),
        SendGridWebhookVerifier.TIMESTAMP_HEADER,
        timestamp);
  }
}
