package dev.switchboard.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.util.Base64URL;
import dev.switchboard.platform.json.Json;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.springframework.http.HttpHeaders;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

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

  /**
   * The header part of tokens whose signature verified, with its key id: a few texts (one per key
   * that signed), each parsed once instead of on every new token.
   */
  private final ConcurrentHashMap<String, String> verifiedHeaders = new ConcurrentHashMap<>();

  private static final int VERIFIED_HEADERS_MAX = 64;
  private static final Base64.Decoder URL_BASE64 = Base64.getUrlDecoder();

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
    // The claims JWTClaimsSet wrote, in its order (times as whole seconds, absent values left out).
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", issuer);
    claims.put("sub", account.id());
    claims.put("sid", sessionId);
    if (account.email() != null) {
      claims.put("email", account.email());
    }
    claims.put("email_verified", account.emailVerified());
    claims.put("roles", new TreeSet<>(account.roles()));
    claims.put("iat", now.getEpochSecond());
    claims.put("exp", now.plus(LIFETIME).getEpochSecond());
    return signing.tokens().sign(Json.MAPPER.writeValueAsBytes(claims));
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

  /**
   * The compact JWS taken apart here rather than by Nimbus's {@code SignedJWT}, which decoded every
   * part with a constant-time Base64 decoder (meant for secret keys; a token's parts are not
   * secret) and parsed the header's JSON on every token: the header of a token whose signature
   * verified is kept with its key id (a handful: one per published key), the signature is checked
   * by the key's {@link TokenVerifier}, and the claims are read from the payload's JSON only after
   * that. What is accepted, and the answer to anything else, are as before.
   */
  private AccessClaims verifyFully(String token) {
    int firstDot = token.indexOf('.');
    int secondDot = firstDot < 0 ? -1 : token.indexOf('.', firstDot + 1);
    if (firstDot <= 0 || secondDot < 0 || token.indexOf('.', secondDot + 1) >= 0) {
      throw invalid("The access token is malformed.");
    }
    String headerPart = token.substring(0, firstDot);
    String kid = verifiedHeaders.get(headerPart);
    if (kid == null) {
      kid = keyIdOf(headerPart);
    }
    Optional<TokenVerifier> verifier = keys.verifier(kid);
    byte[] signature;
    try {
      signature = URL_BASE64.decode(token.substring(secondDot + 1));
    } catch (IllegalArgumentException e) {
      signature = null;
    }
    if (verifier.isEmpty()
        || signature == null
        || !verifier.get().verify(token, secondDot, signature)) {
      throw invalid("The access token is not signed with a key this service published.");
    }
    if (verifiedHeaders.size() >= VERIFIED_HEADERS_MAX) {
      verifiedHeaders.clear();
    }
    verifiedHeaders.putIfAbsent(headerPart, kid);
    return claims(token.substring(firstDot + 1, secondDot));
  }

  /** The key id of a header that asks for ES256 with a key id and nothing critical. */
  private static String keyIdOf(String headerPart) {
    JWSHeader header;
    try {
      header = JWSHeader.parse(new Base64URL(headerPart));
    } catch (ParseException e) {
      throw invalid("The access token is malformed.");
    }
    if (!JWSAlgorithm.ES256.equals(header.getAlgorithm())
        || header.getKeyID() == null
        || header.getCriticalParams() != null) {
      throw invalid("The access token is not signed with a key this service published.");
    }
    return header.getKeyID();
  }

  /**
   * The claims of a payload whose signature verified, held to the types {@code JWTClaimsSet} held
   * them to (a registered claim of the wrong type, or one of ours, is a malformed token).
   */
  private AccessClaims claims(String payloadPart) {
    JsonNode claims;
    try {
      claims = Json.MAPPER.readTree(URL_BASE64.decode(payloadPart));
    } catch (IllegalArgumentException | JacksonException e) {
      throw invalid("The access token is malformed.");
    }
    if (claims == null
        || !claims.isObject()
        || !typed(claims, "iss", JsonNode::isString)
        || !typed(claims, "sub", JsonNode::isString)
        || !typed(claims, "jti", JsonNode::isString)
        || !typed(claims, "aud", AccessTokens::audience)
        || !typed(claims, "exp", JsonNode::isNumber)
        || !typed(claims, "nbf", JsonNode::isNumber)
        || !typed(claims, "iat", JsonNode::isNumber)
        || !typed(claims, "sid", JsonNode::isString)
        || !typed(claims, "email", JsonNode::isString)
        || !typed(claims, "email_verified", JsonNode::isBoolean)
        || !typed(claims, "roles", AccessTokens::strings)) {
      throw invalid("The access token is malformed.");
    }
    if (!issuer.equals(text(claims, "iss"))) {
      throw invalid("The access token was issued by someone else.");
    }
    JsonNode exp = present(claims, "exp");
    // Whole seconds, as JWTClaimsSet read them (a fraction is dropped).
    Instant expiresAt = exp == null ? null : Instant.ofEpochSecond(exp.longValue());
    if (expiresAt == null || !expiresAt.isAfter(clock.instant())) {
      throw invalid("The access token has expired; refresh it.");
    }
    String sub = text(claims, "sub");
    String sid = text(claims, "sid");
    if (sub == null || sid == null) {
      throw invalid("The access token is missing its subject or session.");
    }
    JsonNode roles = present(claims, "roles");
    Set<String> roleSet = new HashSet<>();
    if (roles != null) {
      roles.forEach(role -> roleSet.add(role.isNull() ? null : role.stringValue()));
    }
    JsonNode verified = present(claims, "email_verified");
    return new AccessClaims(
        sub,
        sid,
        text(claims, "email"),
        verified != null && verified.booleanValue(),
        roleSet,
        expiresAt);
  }

  /** The claim, or null when absent or JSON null (JWTClaimsSet treated both as absent). */
  private static JsonNode present(JsonNode claims, String name) {
    JsonNode value = claims.get(name);
    return value == null || value.isNull() ? null : value;
  }

  private static String text(JsonNode claims, String name) {
    JsonNode value = present(claims, name);
    return value == null ? null : value.stringValue();
  }

  private static boolean typed(JsonNode claims, String name, Predicate<JsonNode> type) {
    JsonNode value = present(claims, name);
    return value == null || type.test(value);
  }

  private static boolean audience(JsonNode aud) {
    return aud.isString() || strings(aud);
  }

  private static boolean strings(JsonNode list) {
    if (!list.isArray()) {
      return false;
    }
    for (JsonNode item : list) {
      if (!item.isString() && !item.isNull()) {
        return false;
      }
    }
    return true;
  }

  static AuthException invalid(String message) {
    return new AuthException(
        401,
        "invalid_token",
        message,
        Map.of(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\""));
  }
}
