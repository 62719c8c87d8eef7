package dev.switchboard.auth;

import dev.switchboard.platform.crypto.Digests;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * Refresh tokens that name their family: {@code <session id>.<generation>.<chain>.<tag>}.
 *
 * <ul>
 *   <li>The chain part is what makes the token unguessable: 256 random bits at sign-in, and for
 *       each later generation the HMAC-SHA256 of the whole previous token under the auth key secret
 *       ({@link KeyEncryption#successor}), so the server can recompute a family's current token
 *       from an earlier one (the grace window) without storing any token.
 *   <li>The tag (HMAC-SHA256 of the rest under a key of its own, 128 bits) shows the server issued
 *       the token: it is what lets a rotated token's reuse revoke its family without walking the
 *       chain, and what stops a made-up token naming a known session id (the {@code sid} claim of
 *       an access token) from doing so. The current token needs no tag to rotate: it is matched
 *       against its stored SHA-256.
 * </ul>
 *
 * <p>Tokens issued before families existed are 43 URL-safe base64 characters without a dot; {@link
 * #parse} tells them apart.
 */
final class FamilyTokens {

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final int TAG_BYTES = 16;
  private static final int TAG_CHARS = 22;
  private static final int CHAIN_CHARS = 43;

  private final KeyEncryption encryption;

  FamilyTokens(KeyEncryption encryption) {
    this.encryption = encryption;
  }

  /** A family token as presented: which session, which generation, and the whole token. */
  record FamilyToken(String sessionId, long generation, String token) {}

  /** The first token of a new session's family: generation 0, a random chain. */
  String first(String sessionId) {
    return format(sessionId, 0, AuthIds.secret());
  }

  /**
   * The token of generation {@code generation} that follows {@code previous} (a family token of the
   * generation before, or for the first family token of a session opened before families, its last
   * token of the old form).
   */
  String next(String previous, String sessionId, long generation) {
    return format(sessionId, generation, encryption.successor(previous));
  }

  /** Whether the token carries the tag this server gives the tokens it issues (timing-safe). */
  boolean issued(FamilyToken token) {
    String t = token.token();
    int dot = t.lastIndexOf('.');
    return Digests.equal(
        t.substring(dot + 1).getBytes(StandardCharsets.US_ASCII),
        tag(t.substring(0, dot)).getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * The token's parts, or null when it is not a family token (an older token, which has no dot, or
   * something malformed).
   */
  static FamilyToken parse(String token) {
    int a = token.indexOf('.');
    if (a < 0) {
      return null;
    }
    int b = token.indexOf('.', a + 1);
    int c = b < 0 ? -1 : token.indexOf('.', b + 1);
    if (c < 0
        || token.indexOf('.', c + 1) >= 0
        || !token.startsWith("ses_")
        || a > 40
        || b - a - 1 < 1
        || b - a - 1 > 18
        || c - b - 1 != CHAIN_CHARS
        || token.length() - c - 1 != TAG_CHARS) {
      return null;
    }
    long generation = 0;
    for (int i = a + 1; i < b; i++) {
      char d = token.charAt(i);
      if (d < '0' || d > '9') {
        return null;
      }
      generation = generation * 10 + (d - '0');
    }
    return new FamilyToken(token.substring(0, a), generation, token);
  }

  /** Whether the text is shaped like a family token rather than an older one. */
  static boolean familyShaped(String token) {
    return token.indexOf('.') >= 0;
  }

  private String format(String sessionId, long generation, String chain) {
    String content = sessionId + '.' + generation + '.' + chain;
    return content + '.' + tag(content);
  }

  private String tag(String content) {
    return B64.encodeToString(Arrays.copyOf(encryption.familyTag(content), TAG_BYTES));
  }
}
