package dev.switchboard.auth;

import dev.switchboard.platform.crypto.Digests;
import dev.switchboard.platform.ids.Ids;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Random values and the S256 transform of RFC 7636, shared by the flow, the app's own PKCE and the
 * dev provider.
 */
public final class Pkce {

  /** RFC 7636 4.1: 43 to 128 unreserved characters. */
  private static final Pattern VERIFIER = Pattern.compile("^[A-Za-z0-9._~-]{43,128}$");

  /** A base64url SHA-256 without padding is exactly 43 characters. */
  private static final Pattern CHALLENGE = Pattern.compile("^[A-Za-z0-9_-]{43}$");

  private Pkce() {}

  /**
   * 32 random bytes, base64url without padding (43 characters): states, verifiers, nonces, one-time
   * codes.
   */
  public static String random() {
    return Ids.urlSafe(32);
  }

  /**
   * {@code BASE64URL(SHA256(ASCII(value)))}: the S256 code challenge, and the hash nonces are sent
   * as.
   */
  public static String s256(String value) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(Digests.sha256(value.getBytes(StandardCharsets.US_ASCII)));
  }

  public static boolean validVerifier(String verifier) {
    return verifier != null && VERIFIER.matcher(verifier).matches();
  }

  public static boolean validChallenge(String challenge) {
    return challenge != null && CHALLENGE.matcher(challenge).matches();
  }

  /** Whether the verifier hashes to the challenge, compared in constant time. */
  public static boolean matches(String verifier, String challenge) {
    return validVerifier(verifier)
        && challenge != null
        && Digests.equal(
            s256(verifier).getBytes(StandardCharsets.US_ASCII),
            challenge.getBytes(StandardCharsets.US_ASCII));
  }
}
