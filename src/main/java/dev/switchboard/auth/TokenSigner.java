package dev.switchboard.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.impl.ECDSA;
import dev.switchboard.platform.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Signature;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Signs compact ES256 JWS with the active key, as Nimbus's {@code SignedJWT} with an {@link
 * ECDSASigner} does (JCA {@code SHA256withECDSA} on the same provider, the DER signature turned
 * into JOSE's raw R || S), without its costs per token: the header's part is encoded once per key
 * (its JSON never changes), the parts are encoded with the JDK's Base64 instead of Nimbus's
 * constant-time codec (meant for secret keys; a token's parts are not secret), and a {@link
 * Signature} initialised with the key is kept per thread instead of being looked up among the
 * providers on every token. The sibling of {@link TokenVerifier}.
 */
final class TokenSigner {

  private static final Base64.Encoder URL_BASE64 = Base64.getUrlEncoder().withoutPadding();

  private final PrivateKey privateKey;
  private final Provider provider;
  private final String headerPart;
  private final ThreadLocal<Signature> signatures = new ThreadLocal<>();

  /** The key and provider of a signer built by {@link SigningKeys#signer}, and the key's id. */
  TokenSigner(String kid, ECDSASigner signer) {
    this.privateKey = signer.getPrivateKey();
    this.provider = signer.getJCAContext().getProvider();
    Map<String, String> header = new LinkedHashMap<>();
    header.put("kid", kid);
    header.put("typ", "JWT");
    header.put("alg", "ES256");
    this.headerPart = URL_BASE64.encodeToString(Json.MAPPER.writeValueAsBytes(header));
  }

  /** The compact JWS {@code header.payload.signature} of the payload (a JSON object's bytes). */
  String sign(byte[] payload) {
    String signingInput = headerPart + '.' + URL_BASE64.encodeToString(payload);
    byte[] der;
    Signature signing = signatures.get();
    try {
      if (signing == null) {
        signing = TokenVerifier.es256(provider);
        signing.initSign(privateKey);
        signatures.set(signing);
      }
      signing.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      // sign() leaves the object initialised for the next token with this key.
      der = signing.sign();
    } catch (GeneralSecurityException e) {
      // Its state is unknown after a failure: the next token on this thread starts afresh.
      signatures.remove();
      throw new IllegalStateException("cannot sign an access token", e);
    }
    try {
      return signingInput
          + '.'
          + URL_BASE64.encodeToString(ECDSA.transcodeSignatureToConcat(der, 64));
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign an access token", e);
    }
  }
}
