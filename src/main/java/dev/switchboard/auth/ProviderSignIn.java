package dev.switchboard.auth;

/**
 * Turns a provider profile into an account, applying the linking rules: look up {@code (provider,
 * subject)} first; otherwise link to the account with the same address only when the provider
 * verified it (an existing account whose own address was never verified is taken over: its password
 * is cleared and its unverified identities removed); otherwise create an account. The OAuth flow
 * calls this after the code exchange and then opens a session.
 */
public interface ProviderSignIn {

  /**
   * The account this profile signs in to, created or linked as needed.
   *
   * @throws AuthException 400 {@code email_address_not_provided} when a new account would be needed
   *     and the provider gave no verified address; 409 {@code email_in_use} when the address
   *     belongs to an account and the provider did not verify it
   */
  Account signIn(ProviderProfile profile);

  /**
   * Adds this provider identity to a signed-in account.
   *
   * @throws AuthException 409 {@code identity_already_linked} when the identity belongs to another
   *     account
   */
  Account link(String accountId, ProviderProfile profile);
}
