package dev.switchboard.auth;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sessions and their refresh tokens (stored as SHA-256 hashes only). A session's refresh-token
 * family lives on its row ({@link RefreshFamily}); sessions opened before that keep their tokens in
 * rows of their own until their next rotation moves the family onto the session row.
 */
interface SessionStore {

  /** A session whose family is still in token rows of its own (sessions opened before families). */
  void insert(UserSession session);

  /** A new session with its family's first refresh token (generation 0). */
  void insert(UserSession session, String refreshHash);

  /**
   * The session with its family (empty for a session whose tokens are still in rows of their own)
   * and its account (empty when the account is gone), in one read by primary key.
   */
  Optional<FamilyInSession> family(String sessionId);

  /** {@link #family} for several sessions in one read, by session id (unknown ids are absent). */
  Map<String, FamilyInSession> families(Collection<String> sessionIds);

  /**
   * Rotates a family in one statement: claims its current token (the generation and hash must still
   * be the stored ones), stores the successor's hash, and records the refresh on the session (when,
   * from where, the new expiry), only while the session is neither revoked nor expired. With {@link
   * Rotate#generation} null, moves a family still in token rows of its own onto the session row
   * (the old token's claim is {@link #markRotated}).
   *
   * @return false when nothing changed: another rotation came first, or the session ended
   */
  boolean rotate(Rotate rotation);

  /**
   * {@link #rotate} for several sessions in one statement batch.
   *
   * @return per rotation, in order, whether it happened
   */
  boolean[] rotate(List<Rotate> rotations);

  Optional<UserSession> find(String sessionId);

  /**
   * The session together with its account (empty when the account is gone), in one read: what an
   * access token's liveness check keeps, so {@code GET /api/auth/me} answers without a read of its
   * own.
   */
  Optional<SessionWithAccount> findWithAccount(String sessionId);

  /** The account's sessions that are neither revoked nor expired at {@code now}, newest first. */
  List<UserSession> active(String accountId, Instant now);

  /** Revokes one session; false when it was already revoked or does not exist. */
  boolean revoke(String sessionId, Instant at, String why);

  /**
   * Revokes every live session of the account except {@code keep} (may be null); returns the
   * revoked ids.
   */
  List<String> revokeAll(String accountId, String keep, Instant at, String why);

  /** A token of a session whose family is still in token rows of its own. */
  void insertToken(String tokenHash, String sessionId, Instant at);

  /** The refresh token with this hash: its session and, once rotated, when. */
  Optional<RefreshToken> token(String tokenHash);

  /**
   * The refresh token with this hash together with its session and the session's account (empty
   * when the account is gone), in one read: the refresh path needs all three, and each statement is
   * a round trip inside the refresh transaction.
   */
  Optional<TokenInSession> tokenInSession(String tokenHash);

  /** Marks the token rotated if it was not already; false when another request rotated it first. */
  boolean markRotated(String tokenHash, Instant at);

  /**
   * Undoes {@link #markRotated} in the same transaction, when the rotation it claimed cannot
   * complete (the session ended meanwhile): the token is as it was, as after a rollback, while the
   * transaction's other writes (other requests' rotations in a shared commit) stay.
   */
  void unmarkRotated(String tokenHash);

  /**
   * A session's refresh-token family: the current token's generation and SHA-256, and when the
   * latest rotations happened, newest first (the one that made generation {@code generation - 1 -
   * i} rotated at index {@code i}), only those within the reuse grace window when last written.
   */
  record RefreshFamily(long generation, String tokenHash, List<Instant> rotations) {}

  /** A session, its family (empty for one still in token rows) and its account. */
  record FamilyInSession(
      UserSession session, Optional<RefreshFamily> family, Optional<Account> account) {}

  /**
   * A rotation: the session, the generation and hash it must still have (generation null: a family
   * still in token rows of its own), the family after it, and the refresh's session touch.
   */
  record Rotate(
      String sessionId,
      Long generation,
      String tokenHash,
      RefreshFamily next,
      Instant at,
      Instant expiresAt,
      ClientInfo client) {}

  /** A stored refresh token. */
  record RefreshToken(
      String tokenHash, String sessionId, Instant createdAt, Optional<Instant> rotatedAt) {}

  /** A stored refresh token, the session it belongs to and that session's account. */
  record TokenInSession(RefreshToken token, UserSession session, Optional<Account> account) {}

  /** A session and its account. */
  record SessionWithAccount(UserSession session, Optional<Account> account) {}
}
