package dev.switchboard.auth;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hand-written {@link ProviderSignIn} and {@link SessionIssuer} for unit tests of the flow: the
 * linking rules in their simplest form (identity first, then verified email, else a new account),
 * sessions as recorded calls.
 */
class FakeSignIn implements ProviderSignIn, SessionIssuer, Accounts {

  final Map<String, Account> accounts = new ConcurrentHashMap<>();
  final Map<String, String> identities = new ConcurrentHashMap<>();
  final List<String> opened = new ArrayList<>();

  Account add(String email, boolean verified) {
    Account account =
        new Account(
            "usr_" + (accounts.size() + 1),
            email,
            verified,
            Optional.empty(),
            Set.of(),
            Instant.EPOCH);
    accounts.put(account.id(), account);
    return account;
  }

  @Override
  public Account signIn(ProviderProfile profile) {
    String key = profile.provider() + ":" + profile.subject();
    if (identities.containsKey(key)) {
      return accounts.get(identities.get(key));
    }
    Optional<Account> sameEmail =
        profile
            .email()
            .flatMap(
                e ->
                    accounts.values().stream()
                        .filter(a -> a.email().equalsIgnoreCase(e))
                        .findFirst());
    if (sameEmail.isPresent()) {
      if (!profile.emailVerified()) {
        throw new AuthException(
            409, "email_in_use", "This address belongs to an account; sign in to link it");
      }
      identities.put(key, sameEmail.get().id());
      return sameEmail.get();
    }
    if (profile.email().isEmpty() || !profile.emailVerified()) {
      throw new AuthException(
          400, "email_address_not_provided", "The provider gave no verified email address");
    }
    Account created = add(profile.email().get(), true);
    identities.put(key, created.id());
    return created;
  }

  @Override
  public Account link(String accountId, ProviderProfile profile) {
    String key = profile.provider() + ":" + profile.subject();
    String owner = identities.putIfAbsent(key, accountId);
    if (owner != null && !owner.equals(accountId)) {
      throw new AuthException(
          409, "identity_already_linked", "This identity belongs to another account");
    }
    return accounts.get(accountId);
  }

  @Override
  public SessionTokens open(String accountId, String method, ClientInfo client) {
    opened.add(accountId + ":" + method);
    return new SessionTokens(
        "access-" + accountId, "refresh-" + accountId, 900, accounts.get(accountId));
  }

  @Override
  public Optional<Account> find(String id) {
    return Optional.ofNullable(accounts.get(id));
  }
}
