package dev.switchboard.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.impl.ECDSA;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;

/**
 * Checks the ES256 signature of a compact JWS with one published key, as Nimbus's {@link
 * ECDSAVerifier} does (signature length and range, then JCA verification of the DER form on the
 * same provider), but keeps an initialised {@link Signature} per thread: Nimbus looks the algorithm
 * up in the provider list and initialises it with the key on every token.
 */
final class TokenVerifier {

  private final ECPublicKey publicKey;
  private final Provider provider;
  private final ThreadLocal<Signature> signatures = new ThreadLocal<>();

  /** The key and provider of a verifier built by {@link SigningKeys#verifier}. */
  TokenVerifier(ECDSAVerifier verifier) {
    this.publicKey = verifier.getPublicKey();
    this.provider = verifier.getJCAContext().getProvider();
  }

  /**
   * Whether {@code signature} (JOSE's raw R || S) signs the first {@code signedLength} characters
   * of {@code token} (its {@code header.payload}).
   */
  boolean verify(String token, int signedLength, byte[] signature) {
    byte[] der;
    try {
      ECDSA.ensureLegalSignature(signature, JWSAlgorithm.ES256);
      der = ECDSA.transcodeSignatureToDER(signature);
    } catch (JOSEException e) {
      return false;
    }
    byte[] signed = token.substring(0, signedLength).getBytes(StandardCharsets.UTF_8);
    Signature verifying = signatures.get();
    try {
      if (verifying == null) {
        verifying = es256(provider);
        verifying.initVerify(publicKey);
        signatures.set(verifying);
      }
      verifying.update(signed);
      // verify() leaves the object initialised for the next token with this key.
      return verifying.verify(der);
    } catch (GeneralSecurityException e) {
      // Its state is unknown after a failure: the next token on this thread starts afresh.
      signatures.remove();
      return false;
    }
  }

  /** A {@code SHA256withECDSA} on the key's provider (null: the JDK's choice). */
  static Signature es256(Provider provider) throws GeneralSecurityException {
    return provider == null
        ? Signature.getInstance("SHA256withECDSA")
        : Signature.getInstance("SHA256withECDSA", provider);
  }
}
