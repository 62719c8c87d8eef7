package dev.switchboard.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.switchboard.platform.config.Secret;
import dev.switchboard.platform.crypto.NativeCrypto;
import dev.switchboard.platform.crypto.NativeCryptoTesting;
import java.security.Security;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The JDK fallback stays correct: with the native provider switched off, ES256 tokens, sealed keys
 * and the refresh token chain work, and tokens signed on one side verify on the other (a fleet
 * mid-upgrade, or a machine where the native library does not load, shares keys with native ones).
 */
class JdkCryptoFallbackTest {

  @BeforeAll
  static void forceFallback() {
    NativeCryptoTesting.decide("off");
  }

  @AfterAll
  static void restore() {
    NativeCryptoTesting.decide(null);
  }

  @Test
  void es256WhenFallbackThenSignsAndVerifiesOnTheJdk() throws Exception {
    assertThat(NativeCrypto.status().nativeInUse()).isFalse();
    assertThat(Security.getProvider("AmazonCorrettoCryptoProvider")).isNull();
    ECKey key = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();

    JWSObject jws =
        new JWSObject(new JWSHeader(JWSAlgorithm.ES256), new Payload("{\"sub\":\"ann\"}"));
    jws.sign(SigningKeys.signer(key));

    assertThat(((ECDSASigner) SigningKeys.signer(key)).getJCAContext().getProvider()).isNull();
    assertThat(JWSObject.parse(jws.serialize()).verify(SigningKeys.verifier(key.toPublicJWK())))
        .isTrue();
    // and a plain Nimbus verifier (what another service uses) accepts it
    assertThat(JWSObject.parse(jws.serialize()).verify(new ECDSAVerifier(key.toPublicJWK())))
        .isTrue();
  }

  @Test
  void es256WhenSignedNativeThenVerifiesOnTheJdkAndBack() throws Exception {
    ECKey key = new ECKeyGenerator(Curve.P_256).keyID("k2").generate();
    NativeCryptoTesting.decide(null);
    JWSObject nativeSigned = new JWSObject(new JWSHeader(JWSAlgorithm.ES256), new Payload("n"));
    nativeSigned.sign(SigningKeys.signer(key));
    assertThat(((ECDSASigner) SigningKeys.signer(key)).getJCAContext().getProvider().getName())
        .isEqualTo("AmazonCorrettoCryptoProvider");
    assertThat(
            ((ECDSAVerifier) SigningKeys.verifier(key.toPublicJWK()))
                .getJCAContext()
                .getProvider()
                .getName())
        .isEqualTo("AmazonCorrettoCryptoProvider");
    NativeCryptoTesting.decide("off");
    JWSObject jdkSigned = new JWSObject(new JWSHeader(JWSAlgorithm.ES256), new Payload("j"));
    jdkSigned.sign(SigningKeys.signer(key));

    assertThat(
            JWSObject.parse(nativeSigned.serialize())
                .verify(SigningKeys.verifier(key.toPublicJWK())))
        .isTrue();
    NativeCryptoTesting.decide(null);
    assertThat(
            JWSObject.parse(jdkSigned.serialize()).verify(SigningKeys.verifier(key.toPublicJWK())))
        .isTrue();
    NativeCryptoTesting.decide("off");
  }

  @Test
  void sealedKeysWhenFallbackThenRoundTripAndRejectTampering() {
    KeyEncryption encryption =
        new KeyEncryption(Secret.of("test-secret-test-secret-test-secret-0123"));

    String sealed = encryption.seal("private jwk", "kid-1");

    assertThat(encryption.unseal(sealed, "kid-1")).isEqualTo("private jwk");
    assertThatThrownBy(() -> encryption.unseal(sealed, "kid-2"))
        .isInstanceOf(RuntimeException.class);
    assertThat(encryption.successor("tok"))
        .isEqualTo(encryption.successor("tok"))
        .isNotEqualTo(encryption.successor("tok2"));
  }

  @Test
  void sessionsWhenFallbackThenLoginRefreshAndVerifyWork() {
    AuthFixture f = new AuthFixture();
    var ann =
        f.accounts.create(
            "ann@example.com",
            true,
            java.util.Optional.empty(),
            java.util.Optional.empty(),
            java.util.Set.of());
    SessionTokens issued = f.sessions.open(ann.id(), "password", AuthFixture.client());
    SessionTokens rotated = f.sessions.refresh(issued.refreshToken(), AuthFixture.client());

    assertThat(f.tokens.verify(rotated.accessToken()).accountId()).isEqualTo(ann.id());
  }
}
