package dev.switchboard.auth;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The auth area's own access to accounts and their provider identities; other areas read through
 * {@link Accounts}.
 */
public interface AccountStore extends Accounts {

  /** The account with this lower-cased address, or empty. */
  Optional<Account> findByEmail(String email);

  /**
   * Inserts an account.
   *
   * @throws org.springframework.dao.DuplicateKeyException when the address is already taken (a
   *     concurrent sign-up)
   */
  Account create(
      String email,
      boolean emailVerified,
      Optional<String> name,
      Optional<String> passwordHash,
      Set<String> roles);

  /**
   * The account, its row locked until the transaction ends ({@code SELECT … FOR UPDATE}); empty
   * when unknown.
   */
  Optional<Account> findForUpdate(String id);

  /** The bcrypt hash of the account's password, empty when it has none (provider-only accounts). */
  Optional<String> passwordHash(String accountId);

  /** Sets or clears the password hash. */
  void setPassword(String accountId, Optional<String> passwordHash);

  /** Marks the address as proven. */
  void markVerified(String accountId);

  /** Replaces the account's roles. */
  void setRoles(String accountId, Set<String> roles);

  /** The identity {@code (provider, subject)}, or empty. */
  Optional<Identity> identity(String provider, String subject);

  /** The account's identities, oldest first. */
  List<Identity> identities(String accountId);

  /**
   * Adds an identity.
   *
   * @throws org.springframework.dao.DuplicateKeyException when {@code (provider, subject)} is
   *     already linked
   */
  void addIdentity(Identity identity);

  /** Records what the provider said about the address at this sign-in. */
  void updateIdentityEmail(
      String provider, String subject, Optional<String> email, boolean emailVerified);

  /** Removes one identity. */
  void removeIdentity(String provider, String subject);

  /**
   * Removes every identity of the account and its pending link flows (so none completes
   * afterwards); returns how many identities went.
   */
  int removeIdentities(String accountId);

  /** The newest accounts, for the dashboard. */
  List<Account> recent(int limit);
}
