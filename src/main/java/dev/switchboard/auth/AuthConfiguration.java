package dev.switchboard.auth;

import dev.switchboard.email.EmailService;
import dev.switchboard.platform.config.Secret;
import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.platform.db.GroupCommits;
import dev.switchboard.platform.jobs.JobQueue;
import dev.switchboard.platform.ratelimit.RateLimitRule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Wires sign-in: key protection, signing keys, access tokens, sessions and the linking rules. */
@Import({
  AccessTokenAuthentication.class,
  AccountDirectory.class,
  AuthArchitectureSection.class,
  AuthRateLimits.class,
  InvalidTokenRejection.class,
  JdbcAccounts.class,
  JdbcMailedTokens.class,
  JdbcSessionStore.class,
  JdbcSigningKeyStore.class,
  KeyRotationSchedule.class,
  PasswordResetJob.class,
  Passwords.class
})
@Configuration(proxyBeanMethods = false)
class AuthConfiguration {

  private static final Logger log = LoggerFactory.getLogger(AuthConfiguration.class);
  static final String KEY_SECRET_FILE = "auth-key-secret";

  @Bean
  KeyEncryption keyEncryption(SwitchboardConfig config) {
    return new KeyEncryption(
        config.area(AuthConfig.class).keySecret().orElseGet(() -> localSecret(config)));
  }

  @Bean
  SignedDeviceCookies deviceCookies(
      KeyEncryption encryption, Clock clock, SwitchboardConfig config) {
    return new SignedDeviceCookies(encryption, clock, config.core().publicUrl());
  }

  @Bean
  SigningKeys signingKeys(
      SigningKeyStore store,
      KeyEncryption encryption,
      PlatformTransactionManager transactions,
      Clock clock,
      SwitchboardConfig config) {
    return new SigningKeys(
        store,
        encryption,
        new TransactionTemplate(transactions),
        clock,
        AccessTokens.LIFETIME,
        config.area(AuthConfig.class).keyReload());
  }

  @Bean
  AccessTokens accessTokens(SigningKeys keys, SwitchboardConfig config, Clock clock) {
    return new AccessTokens(keys, config.core().publicUrl().toString(), clock);
  }

  @Bean
  AdminRoles adminRoles(SwitchboardConfig config) {
    return new AdminRoles(config.core().adminEmails());
  }

  @Bean
  Sessions sessions(
      AccountStore accounts,
      SessionStore store,
      AccessTokens tokens,
      KeyEncryption encryption,
      AdminRoles roles,
      PlatformTransactionManager transactions,
      GroupCommits commits,
      ApplicationEventPublisher events,
      Clock clock,
      SwitchboardConfig config) {
    return new Sessions(
        accounts,
        store,
        tokens,
        encryption,
        roles,
        new TransactionTemplate(transactions),
        commits,
        events,
        clock,
        config.area(AuthConfig.class).refreshReuseGrace());
  }

  @Bean
  AccountLinker accountLinker(
      AccountStore accounts,
      Sessions sessions,
      MailedTokens mailedTokens,
      AdminRoles roles,
      PlatformTransactionManager transactions,
      ApplicationEventPublisher events,
      Clock clock) {
    return new AccountLinker(
        accounts,
        sessions,
        mailedTokens,
        roles,
        new TransactionTemplate(transactions),
        events,
        clock);
  }

  @Bean
  EmailPasswordSignIn emailPasswordSignIn(
      AccountStore accounts,
      Passwords passwords,
      MailedTokens mailedTokens,
      Sessions sessions,
      EmailService email,
      JobQueue jobs,
      AuthRateLimits limits,
      AdminRoles roles,
      PlatformTransactionManager transactions,
      ApplicationEventPublisher events,
      Clock clock,
      SwitchboardConfig config) {
    return new EmailPasswordSignIn(
        accounts,
        passwords,
        mailedTokens,
        sessions,
        email,
        jobs,
        limits,
        roles,
        new TransactionTemplate(transactions),
        events,
        clock,
        config.core().publicUrl(),
        PasswordResetJob.randomStartDelay(new SecureRandom()));
  }

  /**
   * Per client address: password and code guessing, sign-up and reset-mail floods, refresh loops.
   */
  @Bean
  RateLimitRule loginLimit(SwitchboardConfig config) {
    return signInLimit(config, "login");
  }

  @Bean
  RateLimitRule registerLimit(SwitchboardConfig config) {
    return signInLimit(config, "register");
  }

  @Bean
  RateLimitRule passwordResetLimit(SwitchboardConfig config) {
    return signInLimit(config, "password-reset");
  }

  @Bean
  RateLimitRule verifyEmailLimit(SwitchboardConfig config) {
    return signInLimit(config, "verify-email");
  }

  @Bean
  RateLimitRule exchangeLimit(SwitchboardConfig config) {
    return signInLimit(config, "exchange");
  }

  /**
   * {@code auth.<action>} on {@code /api/auth/<action>}, at {@code SWITCHBOARD_SIGN_IN_RATE_LIMIT}.
   */
  private static RateLimitRule signInLimit(SwitchboardConfig config, String action) {
    return new RateLimitRule(
        "auth." + action, "/api/auth/" + action, config.area(AuthConfig.class).signInRateLimit());
  }

  @Bean
  RateLimitRule refreshLimit(SwitchboardConfig config) {
    return new RateLimitRule(
        "auth.refresh", "/api/auth/refresh", config.area(AuthConfig.class).refreshRateLimit());
  }

  /**
   * Without {@code SWITCHBOARD_AUTH_KEY_SECRET}, a random secret kept in the data directory
   * (owner-only), like the dev API key: enough for one instance; instances sharing a database must
   * all be given the same variable.
   */
  static Secret localSecret(SwitchboardConfig config) {
    Path file = config.core().dataDir().resolve(KEY_SECRET_FILE);
    try {
      if (!Files.exists(file)) {
        Files.createDirectories(file.getParent());
        Path tmp = Files.createTempFile(file.getParent(), KEY_SECRET_FILE, ".tmp");
        try {
          Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
          // Not a POSIX file system; the data directory's own permissions apply.
        }
        Files.writeString(tmp, AuthIds.secret() + AuthIds.secret(), StandardCharsets.UTF_8);
        try {
          Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
          Files.deleteIfExists(tmp);
        }
        if (config.core().production()) {
          log.warn(
              "SWITCHBOARD_AUTH_KEY_SECRET is not set: signing keys are sealed with a secret generated in {}; "
                  + "set the variable when several instances share the database",
              file);
        }
      }
      return Secret.of(Files.readString(file, StandardCharsets.UTF_8).trim());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create or read " + file, e);
    }
  }
}
