package dev.switchboard.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AccessTokensTest {

  final AuthFixture f = new AuthFixture();
  final Account ann =
      f.accounts.create("ann@example.com", true, Optional.empty(), Optional.empty(), Set.of());

  JWTClaimsSet claims() {
    return new JWTClaimsSet.Builder()
        .issuer(AuthFixture.ISSUER)
        .subject(ann.id())
        .claim("sid", "ses_x")
        .expirationTime(Date.from(f.clock.instant().plusSeconds(600)))
        .build();
  }

  void assertInvalid(String token) {
    assertThatThrownBy(() -> f.tokens.verify(token))
        .isInstanceOfSatisfying(
            AuthException.class,
            e -> {
              assertThat(e.status()).isEqualTo(401);
              assertThat(e.code()).isEqualTo("invalid_token");
              assertThat(e.headers())
                  .containsEntry("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            });
  }

  @Test
  void issueThenNimbusVerifiesItWithThePublishedKeyAndReadsTheClaimsJwtClaimsSetWrote()
      throws Exception {
    Account admin =
        f.accounts.create(
            "root@example.com", false, Optional.empty(), Optional.empty(), Set.of("b", "a"));
    String token = f.tokens.issue(admin, "ses_\"quoted\"");

    SignedJWT jwt = SignedJWT.parse(token);
    ECKey published = (ECKey) JWKSet.parse(f.keys.jwks()).getKeyByKeyId(f.keys.signing().kid());
    assertThat(jwt.verify(new ECDSAVerifier(published))).isTrue();
    assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
    assertThat(jwt.getHeader().getType()).isEqualTo(JOSEObjectType.JWT);
    assertThat(jwt.getHeader().getKeyID()).isEqualTo(f.keys.signing().kid());
    JWTClaimsSet claims = jwt.getJWTClaimsSet();
    assertThat(claims.getIssuer()).isEqualTo(AuthFixture.ISSUER);
    assertThat(claims.getSubject()).isEqualTo(admin.id());
    assertThat(claims.getStringClaim("sid")).isEqualTo("ses_\"quoted\"");
    assertThat(claims.getStringClaim("email")).isEqualTo("root@example.com");
    assertThat(claims.getBooleanClaim("email_verified")).isFalse();
    assertThat(claims.getStringListClaim("roles")).containsExactly("a", "b");
    assertThat(claims.getIssueTime())
        .isEqualTo(Date.from(f.clock.instant().truncatedTo(ChronoUnit.SECONDS)));
    assertThat(claims.getExpirationTime())
        .isEqualTo(
            Date.from(
                f.clock.instant().plus(AccessTokens.LIFETIME).truncatedTo(ChronoUnit.SECONDS)));
    // Every token of a key shares its header's text (verification keeps it parsed by that text).
    assertThat(f.tokens.issue(ann, "ses_y")).startsWith(token.substring(0, token.indexOf('.') + 1));
  }

  @Test
  void verifyWhenAlgNoneThenInvalidToken() {
    assertInvalid(new PlainJWT(claims()).serialize());
  }

  @Test
  void verifyWhenHs256WithOurPublicKeyAsSecretThenInvalidToken() throws Exception {
    f.tokens.issue(ann, "ses_x");
    String kid = f.keys.keys().get(0).kid();
    byte[] publicKeyAsSecret =
        JWKSet.parse(f.keys.jwks()).getKeyByKeyId(kid).toJSONString().getBytes();
    SignedJWT forged =
        new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(kid).build(), claims());
    forged.sign(new MACSigner(publicKeyAsSecret));
    assertInvalid(forged.serialize());
  }

  @Test
  void verifyWhenSignedByUnknownKeyThenInvalidToken() throws Exception {
    ECKey stranger = new ECKeyGenerator(Curve.P_256).keyID("key-stranger").generate();
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("key-stranger").build(), claims());
    jwt.sign(new ECDSASigner(stranger));
    assertInvalid(jwt.serialize());
    // The same stranger key claiming our key id: bad signature.
    String ourKid = f.keys.signing().kid();
    SignedJWT spoof =
        new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(ourKid).build(), claims());
    spoof.sign(new ECDSASigner(stranger));
    assertInvalid(spoof.serialize());
  }

  @Test
  void verifyWhenExpiredOrWrongIssuerOrGarbageThenInvalidToken() {
    String token = f.tokens.issue(ann, "ses_x");
    AccessTokens otherIssuer = new AccessTokens(f.keys, "https://other.example", f.clock);
    assertInvalid(otherIssuer.issue(ann, "ses_x"));
    assertInvalid("not.a.jwt");
    assertInvalid(token.substring(0, token.length() - 4) + "AAAA");
    f.clock.advance(AccessTokens.LIFETIME);
    assertInvalid(token);
  }

  String signedByUs(JWSHeader header, JWTClaimsSet claims) throws Exception {
    SignedJWT jwt = new SignedJWT(header, claims);
    jwt.sign(f.keys.signing().signer());
    return jwt.serialize();
  }

  JWSHeader ourHeader() {
    return new JWSHeader.Builder(JWSAlgorithm.ES256)
        .keyID(f.keys.signing().kid())
        .type(JOSEObjectType.JWT)
        .build();
  }

  void assertInvalid(String token, String message) {
    assertInvalid(token);
    assertThatThrownBy(() -> f.tokens.verify(token)).hasMessage(message);
  }

  @Test
  void verifyWhenIssuedThenClaimsAsSignedAndEveryNewTokenOfTheSameKeyVerifiedAfresh()
      throws Exception {
    Account admin =
        f.accounts.create(
            "root@example.com", false, Optional.empty(), Optional.empty(), Set.of("admin"));
    String token = f.tokens.issue(admin, "ses_a");

    AccessClaims claims = f.tokens.verify(token);

    assertThat(claims.accountId()).isEqualTo(admin.id());
    assertThat(claims.sessionId()).isEqualTo("ses_a");
    assertThat(claims.email()).isEqualTo("root@example.com");
    assertThat(claims.emailVerified()).isFalse();
    assertThat(claims.roles()).containsExactly("admin");
    assertThat(claims.expiresAt())
        .isEqualTo(f.clock.instant().plus(AccessTokens.LIFETIME).truncatedTo(ChronoUnit.SECONDS));
    // Same header text as the verified token, another payload and a signature that does not
    // match it: the known header does not spare the signature check.
    String second = f.tokens.issue(ann, "ses_b");
    String[] a = token.split("\\.");
    String[] b = second.split("\\.");
    assertThat(b[0]).isEqualTo(a[0]);
    assertInvalid(
        b[0] + "." + b[1] + "." + a[2],
        "The access token is not signed with a key this service published.");
    assertThat(f.tokens.verify(second).accountId()).isEqualTo(ann.id());
  }

  @Test
  void verifyWhenSignedByOurKeyButHeaderOrClaimsNotOursThenInvalidToken() throws Exception {
    String kid = f.keys.signing().kid();
    JWSHeader critical =
        new JWSHeader.Builder(JWSAlgorithm.ES256)
            .keyID(kid)
            .criticalParams(Set.of("exp"))
            .customParam("exp", 1)
            .build();
    assertInvalid(
        signedByUs(critical, claims()),
        "The access token is not signed with a key this service published.");
    assertInvalid(
        signedByUs(new JWSHeader.Builder(JWSAlgorithm.ES256).build(), claims()),
        "The access token is not signed with a key this service published.");
    assertInvalid(
        signedByUs(ourHeader(), new JWTClaimsSet.Builder(claims()).claim("sid", 42).build()),
        "The access token is malformed.");
    assertInvalid(
        signedByUs(
            ourHeader(), new JWTClaimsSet.Builder(claims()).claim("email_verified", "yes").build()),
        "The access token is malformed.");
    assertInvalid(
        signedByUs(ourHeader(), new JWTClaimsSet.Builder(claims()).claim("roles", "admin").build()),
        "The access token is malformed.");
    assertInvalid(
        signedByUs(ourHeader(), new JWTClaimsSet.Builder(claims()).claim("sid", null).build()),
        "The access token is missing its subject or session.");
    assertInvalid(
        signedByUs(ourHeader(), new JWTClaimsSet.Builder(claims()).expirationTime(null).build()),
        "The access token has expired; refresh it.");
    assertInvalid(
        signedByUs(ourHeader(), new JWTClaimsSet.Builder(claims()).issuer("https://x").build()),
        "The access token was issued by someone else.");
    assertInvalid("a.b.c.d", "The access token is malformed.");
    assertInvalid(".b.c", "The access token is malformed.");
    // Our claims, our key: accepted.
    assertThat(f.tokens.verify(signedByUs(ourHeader(), claims())).sessionId()).isEqualTo("ses_x");
  }

  @Test
  void verifyWhenKeyRotatedThenOldTokensVerifyUntilExpiryAndRetiredKeyLeavesJwksAfterwards()
      throws Exception {
    String before = f.tokens.issue(ann, "ses_x");
    String oldKid = f.keys.signing().kid();
    String standby =
        f.keys.keys().stream()
            .filter(k -> k.status().equals("standby"))
            .findFirst()
            .orElseThrow()
            .kid();

    f.keys.rotate();

    assertThat(f.keys.signing().kid()).isEqualTo(standby);
    String after = f.tokens.issue(ann, "ses_x");
    assertThat(SignedJWT.parse(after).getHeader().getKeyID()).isEqualTo(standby);
    assertThat(f.tokens.verify(before).accountId()).isEqualTo(ann.id());
    assertThat(f.tokens.verify(after).accountId()).isEqualTo(ann.id());
    assertThat(JWKSet.parse(f.keys.jwks()).getKeys())
        .extracting(k -> k.getKeyID())
        .contains(oldKid, standby)
        .hasSize(3);

    f.clock.advance(AccessTokens.LIFETIME.plus(SigningKeys.SKEW).plusSeconds(1));
    f.keys.reload();
    assertThat(JWKSet.parse(f.keys.jwks()).getKeys())
        .extracting(k -> k.getKeyID())
        .doesNotContain(oldKid)
        .hasSize(2);
  }

  @Test
  void signingWhenRotatedByAnotherInstanceThenPickedUpAtTheNextReloadNotBefore() {
    Duration reload = Duration.ofSeconds(2);
    SigningKeys other =
        new SigningKeys(
            f.keyStore, f.encryption, f.transactions, f.clock, AccessTokens.LIFETIME, reload);
    String oldKid = other.signing().kid();

    f.keys.rotate();
    String newKid = f.keys.signing().kid();

    f.clock.advance(reload.minusMillis(1));
    assertThat(other.signing().kid()).isEqualTo(oldKid);
    f.clock.advance(Duration.ofMillis(1));
    assertThat(other.signing().kid()).isEqualTo(newKid);
    assertThat(other.jwks()).isEqualTo(f.keys.jwks());
  }

  @Test
  void verifyWhenSameTokenAgainThenAnsweredFromCacheUntilItExpires() {
    String token = f.tokens.issue(ann, "ses_x");
    AccessClaims first = f.tokens.verify(token);
    assertThat(f.tokens.verify(token)).isSameAs(first);
    f.clock.advance(AccessTokens.LIFETIME);
    assertInvalid(token);
    assertInvalid(token);
  }

  @Test
  @SuppressWarnings("unchecked")
  void jwksWhenServedThenPublicKeysOnly() throws Exception {
    Map<String, Object> jwks = f.keys.jwks();
    assertThat(JWKSet.parse(jwks).getKeys())
        .hasSize(2)
        .allSatisfy(k -> assertThat(k.isPrivate()).isFalse());
    assertThat((java.util.List<?>) jwks.get("keys"))
        .hasSize(2)
        .allSatisfy(
            k ->
                assertThat((Map<String, Object>) k)
                    .doesNotContainKey("d")
                    .containsEntry("alg", "ES256"));
  }

  @Test
  void rotateIfDueWhenActiveKeyYoungThenNothingAndAfterQuarterThenRotates() {
    String kid = f.keys.signing().kid();
    assertThat(f.keys.rotateIfDue()).isFalse();
    f.clock.advance(SigningKeys.ROTATION_INTERVAL.plus(Duration.ofMinutes(1)));
    assertThat(f.keys.rotateIfDue()).isTrue();
    assertThat(f.keys.signing().kid()).isNotEqualTo(kid);
  }

  @Test
  void storedPrivateKeyWhenReadFromDatabaseThenSealed() {
    f.keys.signing();
    assertThat(f.jdbc.sql("SELECT private_sealed FROM signing_keys").query(String.class).list())
        .allSatisfy(v -> assertThat(v).startsWith("v1.").doesNotContain("\"d\""));
  }
}
