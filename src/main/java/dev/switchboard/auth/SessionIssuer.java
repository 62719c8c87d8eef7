package dev.switchboard.auth;

/**
 * Opens sessions: one refresh-token family per sign-in, with an ES256 access token for the account.
 */
public interface SessionIssuer {

  /**
   * A new session for the account.
   *
   * @param method how the person signed in ({@code password}, {@code google}, {@code github}); kept
   *     on the session
   * @throws AuthException 401 when the account no longer exists
   */
  SessionTokens open(String accountId, String method, ClientInfo client);
}
