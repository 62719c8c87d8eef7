package dev.switchboard.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.http.HttpHeaders;

/**
 * Issues and verifies the ES256 access tokens. Verification accepts only what we issue: a JWS
 * (never an unsigned token), algorithm ES256 exactly (so a token "signed" with HS256 using our
 * public key as the secret is refused before any key is looked at), a {@code kid} of a published
 * key, a valid signature, our issuer and an unexpired {@code exp}.
 */
final class AccessTokens {

  static final Duration LIFETIME = Duration.ofMinutes(15);

  /** Bounds the memory of the verification cache (about 1 KiB per entry); emptied when full. */
  static final int VERIFIED_MAX = 20_000;

  private final SigningKeys keys;
  private final String issuer;
  private final Clock clock;

  /**
   * Tokens already verified, by their exact text, until they expire. An app sends the same access
   * token for up to 15 minutes, and an ES256 verification costs about a millisecond of CPU, many
   * times the rest of a {@code me} request; a hit needs the exact token, which would verify anyway.
   * Revocation is checked per request outside this cache.
   */
  private final ConcurrentHashMap<String, AccessClaims> verified = new ConcurrentHashMap<>();

  AccessTokens(SigningKeys keys, String issuer, Clock clock) {
    this.keys = keys;
    this.issuer = issuer;
    this.clock = clock;
  }

  /** A signed token for the account's session, valid for {@link #LIFETIME}. */
  String issue(Account account, String sessionId) {
    return issue(signingKey(), account, sessionId);
  }

  /**
   * The key tokens are signed with now. It may read (and bootstrap) the keys in the database, so
   * callers that commit something the token stands for fetch it first: a failure here then leaves
   * nothing committed.
   */
  SigningKeys.Signing signingKey() {
    return keys.signing();
  }

  /**
   * {@link #issue(Account, String)} with a key fetched beforehand; pure CPU, no database or
   * network.
   */
  String issue(SigningKeys.Signing signing, Account account, String sessionId) {
    Instant now = clock.instant();
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer(issuer)
            .subject(account.id())
            .claim("sid", sessionId)
            .claim("email", account.email())
            .claim("email_verified", account.emailVerified())
            .claim("roles", List.copyOf(new TreeSet<>(account.roles())))
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plus(LIFETIME)))
            .build();
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.ES256)
                .keyID(signing.kid())
                .type(JOSEObjectType.JWT)
                .build(),
            claims);
    try {
      jwt.sign(signing.signer());
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign an access token", e);
    }
    return jwt.serialize();
  }

  /**
   * The claims of a token we issued that is still valid.
   *
   * @throws AuthException 401 {@code invalid_token} for anything else; the message does not say
   *     what was wrong beyond expiry, which clients act on
   */
  AccessClaims verify(String token) {
    AccessClaims known = verified.get(token);
    if (known != null) {
      if (known.expiresAt().isAfter(clock.instant())) {
        return known;
      }
      verified.remove(token);
      throw invalid("The access token has expired; refresh it.");
    }
    AccessClaims claims = verifyFully(token);
    if (verified.size() >= VERIFIED_MAX) {
      verified.clear();
    }
    verified.put(token, claims);
    return claims;
  }

  private AccessClaims verifyFully(String token) {
    SignedJWT jwt;
    try {
      jwt = SignedJWT.parse(token);
    } catch (ParseException e) {
      throw invalid("The access token is malformed.");
    }
    JWSHeader header = jwt.getHeader();
    if (!JWSAlgorithm.ES256.equals(header.getAlgorithm())
        || header.getKeyID() == null
        || header.getCriticalParams() != null) {
      throw invalid("The access token is not signed with a key this service published.");
    }
    Optional<JWSVerifier> verifier = keys.verifier(header.getKeyID());
    try {
      if (verifier.isEmpty() || !jwt.verify(verifier.get())) {
        throw invalid("The access token is not signed with a key this service published.");
      }
      JWTClaimsSet claims = jwt.getJWTClaimsSet();
      if (!issuer.equals(claims.getIssuer())) {
        throw invalid("The access token was issued by someone else.");
      }
      Date exp = claims.getExpirationTime();
      if (exp == null || !exp.toInstant().isAfter(clock.instant())) {
        throw invalid("The access token has expired; refresh it.");
      }
      String sub = claims.getSubject();
      String sid = claims.getStringClaim("sid");
      if (sub == null || sid == null) {
        throw invalid("The access token is missing its subject or session.");
      }
      List<String> roles = claims.getStringListClaim("roles");
      Boolean verified = claims.getBooleanClaim("email_verified");
      return new AccessClaims(
          sub,
          sid,
          claims.getStringClaim("email"),
          Boolean.TRUE.equals(verified),
          roles == null ? Set.of() : Set.copyOf(roles),
          exp.toInstant());
    } catch (JOSEException | ParseException e) {
      throw invalid("The access token is malformed.");
    }
  }

  static AuthException invalid(String message) {
    return new AuthException(
        401,
        "invalid_token",
        message,
        Map.of(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\""));
  }
}
