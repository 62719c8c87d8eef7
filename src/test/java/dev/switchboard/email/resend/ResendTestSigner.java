package dev.switchboard.email.resend;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Signs webhooks the way Svix does for Resend, with a secret made for the test. */
public final class ResendTestSigner {

  private final byte[] key;

  public ResendTestSigner(String seed) {
    this.key = ("test-signing-key-" + seed).getBytes(StandardCharsets.UTF_8);
  }

  /** The secret as Resend shows it: {@code whsec_} and the base64 key. */
  public String secret() {
    return "whsec_" + Base64.getEncoder().encodeToString(key);
  }

  /** The {@code v1,<base64>} entry for this message. */
  public String signature(String id, String timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
      return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The three Svix headers, names lower-cased, as the verifier receives them. */
  public Map<String, String> headers(String id, String timestamp, byte[] body) {
    return Map.of(
        "svix-id",
        id,
        "svix-timestamp",
        timestamp,
        "svix-signature",
        signature(id, timestamp, body));
  }
}
