package dev.switchboard.auth;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Sessions and their refresh tokens (stored as SHA-256 hashes only). */
interface SessionStore {

  void insert(UserSession session);

  Optional<UserSession> find(String sessionId);

  /**
   * The session together with its account (empty when the account is gone), in one read: what an
   * access token's liveness check keeps, so {@code GET /api/auth/me} answers without a read of its
   * own.
   */
  Optional<SessionWithAccount> findWithAccount(String sessionId);

  /** The account's sessions that are neither revoked nor expired at {@code now}, newest first. */
  List<UserSession> active(String accountId, Instant now);

  /**
   * Records a refresh: when, from where, and the new expiry; only while the session is neither
   * revoked nor expired at {@code at}, checked in the same statement so a revocation committed
   * after the session was read still wins.
   *
   * @return false when the session was not live (nothing is changed)
   */
  boolean touch(String sessionId, Instant at, Instant expiresAt, ClientInfo client);

  /** Revokes one session; false when it was already revoked or does not exist. */
  boolean revoke(String sessionId, Instant at, String why);

  /**
   * Revokes every live session of the account except {@code keep} (may be null); returns the
   * revoked ids.
   */
  List<String> revokeAll(String accountId, String keep, Instant at, String why);

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
   * {@link #tokenInSession} for several tokens in one read, by token hash (hashes with no token are
   * absent).
   */
  Map<String, TokenInSession> tokensInSessions(Collection<String> tokenHashes);

  /**
   * {@link #markRotated} for several tokens in one statement batch.
   *
   * @return per token, in order, whether this call rotated it
   */
  boolean[] markRotated(List<String> tokenHashes, Instant at);

  /**
   * {@link #touch} for several sessions in one statement batch.
   *
   * @return per session, in order, whether it was live and is now touched
   */
  boolean[] touch(List<Touch> touches);

  /** {@link #insertToken} for several tokens in one statement batch. */
  void insertTokens(List<NewToken> tokens, Instant at);

  /** A refresh's session touch: when, the new expiry and where from. */
  record Touch(String sessionId, Instant at, Instant expiresAt, ClientInfo client) {}

  /** A new refresh token of a session. */
  record NewToken(String tokenHash, String sessionId) {}

  /** A stored refresh token. */
  record RefreshToken(
      String tokenHash, String sessionId, Instant createdAt, Optional<Instant> rotatedAt) {}

  /** A stored refresh token, the session it belongs to and that session's account. */
  record TokenInSession(RefreshToken token, UserSession session, Optional<Account> account) {}

  /** A session and its account. */
  record SessionWithAccount(UserSession session, Optional<Account> account) {}
}
