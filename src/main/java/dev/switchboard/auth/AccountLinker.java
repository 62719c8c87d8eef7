package dev.switchboard.auth;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The linking rules of {@link ProviderSignIn}. The account-takeover bugs of other identity systems
 * all come from linking on an address nobody proved, so an address links only when the provider
 * verified it; and an account whose own address was never proven cannot keep anything its creator
 * set up (a password, any linked identity, open sessions) once the real owner of the address
 * arrives through a provider that vouches for it. An identity a squatter linked is theirs even when
 * its provider verified it (for their own address), so none is kept.
 */
final class AccountLinker implements ProviderSignIn {

  private final AccountStore accounts;
  private final Sessions sessions;
  private final MailedTokens mailedTokens;
  private final AdminRoles adminRoles;
  private final TransactionTemplate transactions;
  private final ApplicationEventPublisher events;
  private final Clock clock;

  AccountLinker(
      AccountStore accounts,
      Sessions sessions,
      MailedTokens mailedTokens,
      AdminRoles adminRoles,
      TransactionTemplate transactions,
      ApplicationEventPublisher events,
      Clock clock) {
    this.accounts = accounts;
    this.sessions = sessions;
    this.mailedTokens = mailedTokens;
    this.adminRoles = adminRoles;
    this.transactions = transactions;
    this.events = events;
    this.clock = clock;
  }

  @Override
  public Account signIn(ProviderProfile profile) {
    Account result;
    try {
      result = transactions.execute(tx -> signInInTransaction(profile));
    } catch (DuplicateKeyException e) {
      // A concurrent first sign-in created the account or identity; the second attempt finds it.
      result = transactions.execute(tx -> signInInTransaction(profile));
    }
    return result;
  }

  private Account signInInTransaction(ProviderProfile profile) {
    Optional<String> email = normalized(profile.email());
    Optional<Identity> known = accounts.identity(profile.provider(), profile.subject());
    if (known.isPresent()) {
      accounts.updateIdentityEmail(
          profile.provider(), profile.subject(), email, profile.emailVerified());
      Account account =
          accounts
              .find(known.get().accountId())
              .orElseThrow(
                  () ->
                      new AuthException(401, "account_not_found", "The account no longer exists."));
      return account;
    }
    Optional<Account> sameEmail = email.flatMap(accounts::findByEmail);
    if (sameEmail.isPresent()) {
      if (!profile.emailVerified()) {
        throw new AuthException(
            409,
            "email_in_use",
            "An account already uses this email address, and "
                + profile.provider()
                + " did not verify it. Sign in to that account first, then link "
                + profile.provider()
                + ".");
      }
      Account existing = sameEmail.get();
      if (!existing.emailVerified()) {
        takeOver(existing);
      }
      addIdentity(existing.id(), profile, email);
      return accounts.find(existing.id()).orElseThrow();
    }
    if (email.isEmpty() || !profile.emailVerified()) {
      throw new AuthException(
          400,
          "email_address_not_provided",
          profile.provider()
              + " did not share a verified email address, which a new account needs. Verify an address with "
              + profile.provider()
              + " and try again.");
    }
    Account created =
        accounts.create(
            email.get(),
            true,
            profile.name().filter(n -> !n.isBlank()),
            Optional.empty(),
            adminRoles.rolesFor(email.get(), true));
    addIdentity(created.id(), profile, email);
    // Inside the transaction: what listeners write before the commit commits with the account.
    events.publishEvent(new AccountCreated(created.id(), profile.provider(), clock.instant()));
    return created;
  }

  /**
   * The address is now proven by a provider, so whoever registered it without proving it loses what
   * they set up: the password, every identity and pending link, open sessions and pending mailed
   * links.
   */
  private void takeOver(Account existing) {
    accounts.setPassword(existing.id(), Optional.empty());
    accounts.removeIdentities(existing.id());
    accounts.markVerified(existing.id());
    accounts.setRoles(existing.id(), adminRoles.rolesFor(existing.email(), true));
    sessions.revokeAll(existing.id(), null, "account_takeover");
    mailedTokens.discardAll(existing.id());
  }

  @Override
  public Account link(String accountId, ProviderProfile profile) {
    return transactions.execute(
        tx -> {
          Account account =
              accounts
                  .find(accountId)
                  .orElseThrow(
                      () ->
                          new AuthException(
                              401, "account_not_found", "The account no longer exists."));
          Optional<Identity> known = accounts.identity(profile.provider(), profile.subject());
          if (known.isPresent()) {
            if (!known.get().accountId().equals(accountId)) {
              throw new AuthException(
                  409,
                  "identity_already_linked",
                  "This " + profile.provider() + " account is already linked to another account.");
            }
            return account;
          }
          addIdentity(accountId, profile, normalized(profile.email()));
          return account;
        });
  }

  /**
   * Removes a provider identity from an account, unless it is the last way to sign in (no password
   * and no other identity): the account would be locked out. The account row is locked first, so
   * two concurrent unlinks of its last two identities cannot both see the other one still there.
   *
   * @throws AuthException 404 {@code identity_not_found}; 409 {@code last_sign_in_method}
   */
  Account unlink(String accountId, String provider) {
    return transactions.execute(
        tx -> {
          Account account =
              accounts
                  .findForUpdate(accountId)
                  .orElseThrow(
                      () ->
                          new AuthException(
                              401, "account_not_found", "The account no longer exists."));
          List<Identity> identities = accounts.identities(accountId);
          List<Identity> matching =
              identities.stream().filter(i -> i.provider().equals(provider)).toList();
          if (matching.isEmpty()) {
            throw new AuthException(
                404,
                "identity_not_found",
                "No " + provider + " identity is linked to this account.");
          }
          boolean hasPassword = accounts.passwordHash(accountId).isPresent();
          if (!hasPassword && identities.size() == matching.size()) {
            throw new AuthException(
                409,
                "last_sign_in_method",
                "This is the only way to sign in to the account; set a password or link another provider first.");
          }
          matching.forEach(i -> accounts.removeIdentity(i.provider(), i.subject()));
          return account;
        });
  }

  private void addIdentity(String accountId, ProviderProfile profile, Optional<String> email) {
    accounts.addIdentity(
        new Identity(
            profile.provider(),
            profile.subject(),
            accountId,
            email,
            profile.emailVerified(),
            clock.instant()));
  }

  static Optional<String> normalized(Optional<String> email) {
    return email.map(e -> e.trim().toLowerCase(Locale.ROOT)).filter(e -> !e.isEmpty());
  }
}
