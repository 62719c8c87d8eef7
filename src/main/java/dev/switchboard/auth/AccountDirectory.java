package dev.switchboard.auth;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * Accounts with their identities and live sessions, for the dashboard's users page; and revoking
 * from there.
 */
public final class AccountDirectory {

  private final AccountStore accounts;
  private final Sessions sessions;

  AccountDirectory(AccountStore accounts, Sessions sessions) {
    this.accounts = accounts;
    this.sessions = sessions;
  }

  /** One account as the dashboard shows it. */
  public record Entry(
      Account account,
      boolean hasPassword,
      List<Identity> identities,
      List<UserSession> sessions) {}

  /** The newest {@code limit} accounts. */
  public List<Entry> recent(int limit) {
    return accounts.recent(limit).stream()
        .map(
            a ->
                new Entry(
                    a,
                    accounts.passwordHash(a.id()).isPresent(),
                    accounts.identities(a.id()),
                    sessions.list(a.id())))
        .toList();
  }

  /**
   * The address of each of these account ids that still exists, so pages can show people instead of
   * ids.
   */
  public Map<String, String> emails(Collection<String> accountIds) {
    Map<String, String> emails = new HashMap<>();
    for (String id : new HashSet<>(accountIds)) {
      if (id != null && !id.isEmpty()) {
        accounts.find(id).ifPresent(a -> emails.put(id, a.email()));
      }
    }
    return emails;
  }

  /**
   * Ends one session of the account; its access tokens stop working at once on this instance.
   *
   * @throws AuthException 404 {@code session_not_found} when it is not a live session of the
   *     account
   */
  public void revokeSession(String accountId, String sessionId) {
    sessions.revoke(accountId, sessionId);
  }

  /** Ends every session of the account; returns how many. */
  public int revokeAll(String accountId) {
    return sessions.revokeAll(accountId, null, "revoked_by_admin");
  }
}
