package dev.switchboard.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/** Random values and the S256 transform of RFC 7636, shared by the flow, the app's own PKCE and the dev provider. */
public final class Pkce {

  private static final SecureRandom RANDOM = new SecureRandom();
  /** RFC 7636 4.1: 43 to 128 unreserved characters. */
  private static final Pattern VERIFIER = Pattern.compile("^[A-Za-z0-9._~-]{43,128}$");
  /** A base64url SHA-256 without padding is exactly 43 characters. */
  private static final Pattern CHALLENGE = Pattern.compile("^[A-Za-z0-9_-]{43}$");

  private Pkce() {}

  /** 32 random bytes, base64url without padding (43 characters): states, verifiers, nonces, one-time codes. */
  public static String random() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** {@code BASE64URL(SHA256(ASCII(value)))}: the S256 code challenge, and the hash nonces are sent as. */
  public static String s256(String value) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }

  public static boolean validVerifier(String verifier) {
    return verifier != null && VERIFIER.matcher(verifier).matches();
  }

  public static boolean validChallenge(String challenge) {
    return challenge != null && CHALLENGE.matcher(challenge).matches();
  }

  /** Whether the verifier hashes to the challenge, compared in constant time. */
  public static boolean matches(String verifier, String challenge) {
    return validVerifier(verifier) && challenge != null && MessageDigest.isEqual(
        s256(verifier).getBytes(StandardCharsets.US_ASCII), challenge.getBytes(StandardCharsets.US_ASCII));
  }
}
