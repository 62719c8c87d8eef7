package dev.switchboard.auth;

import dev.switchboard.email.EmailService;
import dev.switchboard.platform.http.ApiException;
import dev.switchboard.platform.jobs.JobOptions;
import dev.switchboard.platform.jobs.JobQueue;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Email + password: register, login, verify the address, reset the password. No answer tells a
 * stranger whether an address has an account: registration always answers the same (the owner of a
 * used address gets an email instead), login failures are one {@code invalid_credentials} that
 * costs one bcrypt comparison either way, and reset requests always answer 202.
 *
 * <p>Mailed links point at Switchboard's own small pages ({@code /auth/verify-email}, {@code
 * /auth/reset-password}) with the token in the URL fragment, which browsers never send to a server
 * or in a {@code Referer}; the page posts it to the API.
 */
final class EmailPasswordSignIn {

  static final String METHOD = "password";
  static final Duration VERIFY_LIFETIME = Duration.ofHours(48);
  static final Duration RESET_LIFETIME = Duration.ofHours(1);
  private static final int MAX_EMAIL = 254;
  private static final int MAX_NAME = 200;

  private final AccountStore accounts;
  private final Passwords passwords;
  private final MailedTokens mailedTokens;
  private final Sessions sessions;
  private final EmailService email;
  private final JobQueue jobs;
  private final AuthRateLimits limits;
  private final AdminRoles adminRoles;
  private final TransactionTemplate transactions;
  private final ApplicationEventPublisher events;
  private final Clock clock;
  private final URI publicUrl;
  private final Supplier<Duration> resetStartDelay;

  /**
   * @param resetStartDelay how long after a reset request its job may start ({@link
   *     PasswordResetJob})
   */
  EmailPasswordSignIn(
      AccountStore accounts,
      Passwords passwords,
      MailedTokens mailedTokens,
      Sessions sessions,
      EmailService email,
      JobQueue jobs,
      AuthRateLimits limits,
      AdminRoles adminRoles,
      TransactionTemplate transactions,
      ApplicationEventPublisher events,
      Clock clock,
      URI publicUrl,
      Supplier<Duration> resetStartDelay) {
    this.accounts = accounts;
    this.passwords = passwords;
    this.mailedTokens = mailedTokens;
    this.sessions = sessions;
    this.email = email;
    this.jobs = jobs;
    this.limits = limits;
    this.adminRoles = adminRoles;
    this.transactions = transactions;
    this.events = events;
    this.clock = clock;
    this.publicUrl = publicUrl;
    this.resetStartDelay = resetStartDelay;
  }

  /**
   * Creates an unverified account and mails the Welcome message with its verification link; for an
   * address that already has an account, mails its owner instead and changes nothing. The caller
   * cannot tell which happened.
   *
   * @throws ApiException 400 for an invalid address or name, or a password the rules refuse (even
   *     when the address is taken: the password is checked first)
   */
  void register(String rawEmail, String password, String rawName) {
    String address = normalizedEmail(rawEmail);
    Optional<String> name =
        Optional.ofNullable(rawName).map(String::trim).filter(n -> !n.isEmpty());
    if (name.isPresent() && name.get().length() > MAX_NAME) {
      throw ApiException.invalidField("name", "name must be at most " + MAX_NAME + " characters");
    }
    passwords.checkAcceptable(password, address);
    limits.check("register", address, AuthRateLimits.MAIL_PER_EMAIL);
    String hash = passwords.hash(password);
    try {
      transactions.execute(
          tx -> {
            Optional<Account> existing = accounts.findByEmail(address);
            if (existing.isPresent()) {
              String token =
                  mailedTokens.issue(
                      MailedTokens.PASSWORD_RESET, existing.get().id(), RESET_LIFETIME);
              email.send(
                  "account-exists",
                  address,
                  Map.of(
                      "name",
                      displayName(existing.get()),
                      "resetUrl",
                      link("/auth/reset-password", token)),
                  Optional.empty());
              return null;
            }
            Account created =
                accounts.create(
                    address, false, name, Optional.of(hash), adminRoles.rolesFor(address, false));
            String token =
                mailedTokens.issue(MailedTokens.VERIFY_EMAIL, created.id(), VERIFY_LIFETIME);
            email.send(
                "welcome",
                address,
                Map.of(
                    "name", displayName(created), "verifyUrl", link("/auth/verify-email", token)),
                Optional.empty());
            // Inside the transaction: what listeners write before the commit commits with
            // the account.
            events.publishEvent(new AccountCreated(created.id(), METHOD, clock.instant()));
            return created.id();
          });
    } catch (DuplicateKeyException e) {
      // A concurrent registration of the same address won; this one answers alike and changes
      // nothing.
    }
  }

  /**
   * @throws AuthException 401 {@code invalid_credentials} for an unknown address, an account
   *     without a password, or a wrong password, all alike
   */
  SessionTokens login(String rawEmail, String password, ClientInfo client) {
    return login(rawEmail, password, client, (address) -> Optional.empty());
  }

  /**
   * As {@link #login(String, String, ClientInfo)}; a browser that signed in to this address before
   * (a valid device cookie: {@code trustedDevice} answers its id for the normalized address) counts
   * its guesses in a bucket of its own, so guesses from everywhere else cannot lock the owner out
   * (OWASP: device cookies).
   */
  SessionTokens login(
      String rawEmail,
      String password,
      ClientInfo client,
      Function<String, Optional<String>> trustedDevice) {
    String address = normalizedEmail(rawEmail);
    if (password == null || password.isEmpty()) {
      throw ApiException.invalidField("password", "password is required");
    }
    Optional<String> device = trustedDevice.apply(address);
    if (device.isPresent()) {
      limits.check("login-device", address + ":" + device.get(), AuthRateLimits.LOGIN_PER_EMAIL);
    } else {
      limits.check("login", address, AuthRateLimits.LOGIN_PER_EMAIL);
    }
    Optional<Account> account = accounts.findByEmail(address);
    String hash = account.flatMap(a -> accounts.passwordHash(a.id())).orElse(null);
    if (!passwords.matches(password, hash) || account.isEmpty()) {
      throw new AuthException(
          401, "invalid_credentials", "The email address or password is not correct.");
    }
    return sessions.open(account.get().id(), METHOD, client);
  }

  /**
   * Marks the address proven. Every session of the account ends: they were opened before anyone
   * proved the mailbox, possibly by someone who registered an address that is not theirs.
   *
   * @throws AuthException 400 {@code invalid_verification_token} for an unknown, used or expired
   *     token
   */
  Account verifyEmail(String token) {
    requireToken(token);
    return transactions.execute(
        tx -> {
          String accountId =
              mailedTokens
                  .consume(MailedTokens.VERIFY_EMAIL, token)
                  .orElseThrow(
                      () ->
                          new AuthException(
                              400,
                              "invalid_verification_token",
                              "This verification link is invalid, already used or expired."));
          accounts.markVerified(accountId);
          Account account = accounts.find(accountId).orElseThrow();
          accounts.setRoles(accountId, adminRoles.rolesFor(account.email(), true));
          sessions.revokeAll(accountId, null, "email_verified");
          return accounts.find(accountId).orElseThrow();
        });
  }

  /**
   * Queues a reset mail for the address; answers alike whether or not it has an account. The
   * lookup, the token and the mail happen in {@link PasswordResetJob}: done here, they made the
   * answer for a registered address a few milliseconds slower than for an unknown one, enough to
   * tell a stranger which addresses have accounts. The job starts after a random delay, so that
   * work does not land on the asker's next request either.
   */
  void requestReset(String rawEmail) {
    String address = normalizedEmail(rawEmail);
    limits.check("password-reset", address, AuthRateLimits.MAIL_PER_EMAIL);
    jobs.enqueue(
        PasswordResetJob.TYPE,
        PasswordResetJob.payload(address),
        JobOptions.defaults().runAt(clock.instant().plus(resetStartDelay.get())));
  }

  /**
   * Mails a reset link when the address has an account; nothing otherwise ({@link
   * PasswordResetJob}).
   */
  void mailReset(String address) {
    transactions.executeWithoutResult(
        tx ->
            accounts
                .findByEmail(address)
                .ifPresent(
                    account -> {
                      String token =
                          mailedTokens.issue(
                              MailedTokens.PASSWORD_RESET, account.id(), RESET_LIFETIME);
                      email.send(
                          "password-reset",
                          address,
                          Map.of(
                              "name",
                              displayName(account),
                              "resetUrl",
                              link("/auth/reset-password", token)),
                          Optional.empty());
                    }));
  }

  /**
   * Sets a new password with a mailed token. The mailbox is proven, so the address becomes
   * verified; every session of the account ends and every other mailed token is discarded. When the
   * address was not proven before, whoever registered it may not be its owner, so the account's
   * identities and pending links go too (as in a takeover).
   *
   * @return the account's address (the mailbox just proven)
   * @throws AuthException 400 {@code invalid_reset_token}; 400 password rule codes (the token is
   *     not used up then)
   */
  String confirmReset(String token, String password) {
    requireToken(token);
    return transactions.execute(
        tx -> {
          Optional<String> accountId = mailedTokens.consume(MailedTokens.PASSWORD_RESET, token);
          if (accountId.isEmpty()) {
            throw new AuthException(
                400, "invalid_reset_token", "This reset link is invalid, already used or expired.");
          }
          Account account = accounts.find(accountId.get()).orElseThrow();
          // Checked inside the transaction so a refused password rolls back and the link still
          // works.
          passwords.checkAcceptable(password, account.email());
          accounts.setPassword(account.id(), Optional.of(passwords.hash(password)));
          if (!account.emailVerified()) {
            accounts.removeIdentities(account.id());
          }
          accounts.markVerified(account.id());
          accounts.setRoles(account.id(), adminRoles.rolesFor(account.email(), true));
          mailedTokens.discardAll(account.id());
          sessions.revokeAll(account.id(), null, "password_reset");
          return account.email();
        });
  }

  /**
   * Changes the password of a signed-in account; every other session ends, the one making the
   * change stays. An account that signed up through a provider and has no password yet may set one
   * without a current password.
   *
   * @throws AuthException 401 {@code invalid_credentials} when the current password is wrong; 400
   *     password rule codes
   */
  void changePassword(
      String accountId, String currentPassword, String newPassword, String keepSessionId) {
    Account account =
        accounts
            .find(accountId)
            .orElseThrow(
                () -> new AuthException(401, "account_not_found", "The account no longer exists."));
    passwords.checkAcceptable(newPassword, account.email());
    limits.check("login", account.email(), AuthRateLimits.LOGIN_PER_EMAIL);
    Optional<String> hash = accounts.passwordHash(accountId);
    if (hash.isPresent()
        && !passwords.matches(currentPassword == null ? "" : currentPassword, hash.get())) {
      throw new AuthException(401, "invalid_credentials", "The current password is not correct.");
    }
    String newHash = passwords.hash(newPassword);
    transactions.executeWithoutResult(
        tx -> {
          accounts.setPassword(accountId, Optional.of(newHash));
          mailedTokens.discardAll(accountId);
          sessions.revokeAll(accountId, keepSessionId, "password_changed");
        });
  }

  private String link(String path, String token) {
    return publicUrl + path + "#token=" + token;
  }

  private static String displayName(Account account) {
    return account.name().orElse(account.email().substring(0, account.email().indexOf('@')));
  }

  private static void requireToken(String token) {
    if (token == null || token.isBlank() || token.length() > 200) {
      throw ApiException.invalidField("token", "token is required");
    }
  }

  static String normalizedEmail(String raw) {
    String address = raw == null ? "" : raw.trim().toLowerCase(Locale.ROOT);
    if (address.isEmpty()) {
      throw ApiException.invalidField("email", "email is required");
    }
    if (address.length() > MAX_EMAIL
        || !address.matches("^[^@\\s\\p{Cntrl}]+@[^@\\s\\p{Cntrl}]+\\.[^@\\s\\p{Cntrl}]+$")) {
      throw ApiException.invalidField("email", "email must be an email address");
    }
    return address;
  }
}
