package dev.switchboard.platform.webhooks;

import dev.switchboard.platform.config.Secret;
import dev.switchboard.platform.crypto.Digests;
import dev.switchboard.platform.http.ApiException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.function.Function;

/**
 * The checks signed webhooks share, whatever the provider's header format: the 400 {@code
 * invalid_signature} refusal, the signed timestamp (its replay window is a {@link ReplayWindow}),
 * and HMAC-SHA256 signatures compared against every configured secret. Each verifier still states
 * its own header names and messages.
 */
public final class WebhookSignatures {

  private WebhookSignatures() {}

  /** 400 {@code invalid_signature}: nothing of the request is stored. */
  public static ApiException invalid(String message) {
    return new ApiException(400, "invalid_signature", message);
  }

  /**
   * The Unix seconds of a signed timestamp.
   *
   * @throws ApiException {@link #invalid} with {@code notANumber} when it is not a whole number
   */
  public static long seconds(String timestamp, String notANumber) {
    try {
      return Long.parseLong(timestamp.trim());
    } catch (NumberFormatException e) {
      throw invalid(notANumber);
    }
  }

  /**
   * The HMAC keys of every configured secret (several during a rotation), each read by the
   * provider's {@code key} rule.
   *
   * @throws IllegalArgumentException when there is no secret, or {@code key} refuses one; the
   *     message never contains a secret
   */
  public static List<byte[]> hmacKeys(List<Secret> secrets, Function<Secret, byte[]> key) {
    if (secrets.isEmpty()) {
      throw new IllegalArgumentException("at least one webhook signing secret is required");
    }
    return secrets.stream().map(key).toList();
  }

  /**
   * Whether any presented signature is the HMAC-SHA256 of {@code signedPrefix} followed by the body
   * under any of the keys. Every pair is compared, in constant time each, so the time taken does
   * not tell which secret or entry matched (several secrets are held during a rotation).
   */
  public static boolean anyHmacSha256Matches(
      List<byte[]> keys, String signedPrefix, byte[] body, List<byte[]> presented) {
    byte[] prefix = signedPrefix.getBytes(StandardCharsets.UTF_8);
    boolean matched = false;
    for (byte[] key : keys) {
      byte[] expected = Digests.hmacSha256(key, prefix, body);
      for (byte[] signature : presented) {
        matched |= MessageDigest.isEqual(expected, signature);
      }
    }
    return matched;
  }
}
