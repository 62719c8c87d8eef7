package dev.switchboard.auth;

import dev.switchboard.platform.config.Secret;
import dev.switchboard.platform.crypto.Digests;
import dev.switchboard.platform.crypto.HmacKey;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Protects what the auth area keeps in the database with a secret that is not there: signing keys
 * are sealed with AES-256-GCM (a database dump or backup alone cannot sign tokens), and refresh
 * tokens are derived with HMAC-SHA256. Both keys are derived from {@code
 * SWITCHBOARD_AUTH_KEY_SECRET} with distinct labels, so neither reveals the other.
 */
final class KeyEncryption {

  private static final int NONCE_BYTES = 12;
  private static final String VERSION = "v1.";

  private final SecretKeySpec sealing;

  /**
   * The HMAC keys, each kept set up per thread: a rotation derives under one and tags under
   * another, and a Mac shared by purposes was set up again for each.
   */
  private final HmacKey derivation;

  private final HmacKey devices;
  private final HmacKey families;
  private final SecureRandom random = new SecureRandom();

  KeyEncryption(Secret secret) {
    this.sealing =
        new SecretKeySpec(
            hmac(secret.reveal().getBytes(StandardCharsets.UTF_8), "signing-key-seal"), "AES");
    this.derivation =
        new HmacKey(hmac(secret.reveal().getBytes(StandardCharsets.UTF_8), "refresh-token"));
    this.devices =
        new HmacKey(hmac(secret.reveal().getBytes(StandardCharsets.UTF_8), "device-cookie"));
    this.families =
        new HmacKey(hmac(secret.reveal().getBytes(StandardCharsets.UTF_8), "refresh-family-tag"));
  }

  /**
   * The tag that shows a refresh token of a family ({@link FamilyTokens}) was issued here, with a
   * key of its own.
   */
  byte[] familyTag(String content) {
    return families.sign(content.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The signature of a device cookie's content ({@link SignedDeviceCookies}), with a key of its
   * own.
   */
  byte[] deviceSignature(String content) {
    return devices.sign(content.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * {@code v1.<nonce+ciphertext, base64url>}; {@code aad} binds the sealed value to its row (the
   * key id).
   */
  String seal(String plaintext, String aad) {
    try {
      byte[] nonce = new byte[NONCE_BYTES];
      random.nextBytes(nonce);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, sealing, new GCMParameterSpec(128, nonce));
      cipher.updateAAD(aad.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
      byte[] out = new byte[nonce.length + sealed.length];
      System.arraycopy(nonce, 0, out, 0, nonce.length);
      System.arraycopy(sealed, 0, out, nonce.length, sealed.length);
      return VERSION + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot seal a signing key", e);
    }
  }

  /**
   * @throws WrongSecretException when the value was sealed with another secret or altered
   */
  String unseal(String sealed, String aad) {
    if (!sealed.startsWith(VERSION)) {
      throw new IllegalStateException("unknown sealed format");
    }
    try {
      byte[] in = Base64.getUrlDecoder().decode(sealed.substring(VERSION.length()));
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, sealing, new GCMParameterSpec(128, in, 0, NONCE_BYTES));
      cipher.updateAAD(aad.getBytes(StandardCharsets.UTF_8));
      return new String(
          cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new WrongSecretException(aad);
    }
  }

  /** A sealed value that this secret cannot open: sealed under another one, or altered. */
  static final class WrongSecretException extends IllegalStateException {

    private final String kid;

    WrongSecretException(String kid) {
      super(
          "signing key "
              + kid
              + " cannot be opened: SWITCHBOARD_AUTH_KEY_SECRET differs "
              + "from the one it was sealed with (every instance sharing a database needs the same value)");
      this.kid = kid;
    }

    /** The key that could not be opened. */
    String kid() {
      return kid;
    }
  }

  /**
   * The refresh token that follows {@code token}: deterministic, so a retry within the grace window
   * gets the same.
   */
  String successor(String token) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(derivation.sign(token.getBytes(StandardCharsets.UTF_8)));
  }

  private static byte[] hmac(byte[] key, String label) {
    return Digests.hmacSha256(key, label.getBytes(StandardCharsets.UTF_8));
  }
}
