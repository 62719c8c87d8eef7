package dev.switchboard.admin;

import java.time.Instant;
import java.util.Optional;

/** Dashboard sessions (table {@code admin_sessions}), found by the hash of the browser's token. */
interface AdminSessionStore {

  /** Stores a new session. */
  void insert(String tokenHash, String keyId, Instant createdAt, Instant expiresAt);

  /** Stores a new session of an admin account signed in with Google or GitHub. */
  void insertForAccount(String tokenHash, String accountId, Instant createdAt, Instant expiresAt);

  /** The account id of an unexpired account session, or empty. */
  Optional<String> accountIdOf(String tokenHash, Instant now);

  /** The key id of an unexpired key session, or empty. */
  Optional<String> keyIdOf(String tokenHash, Instant now);

  /** Ends a session; unknown hashes are ignored. */
  void delete(String tokenHash);

  /** Removes expired sessions and returns how many. */
  int deleteExpired(Instant now);

  /** Ends every dashboard session of the account; returns how many. */
  int deleteForAccount(String accountId);
}
