package dev.switchboard.platform.apikeys;

import dev.switchboard.platform.config.DeploymentMode;
import dev.switchboard.platform.crypto.Digests;
import dev.switchboard.platform.http.ApiException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;

/**
 * The first admin of a production install, without a restart (as PocketBase prints an installer
 * link): when production starts with no {@code SWITCHBOARD_ADMIN_API_KEY} and no live admin key, a
 * one-time setup token is printed once. It creates one admin key through {@code POST
 * /api/setup/admin-key}, then is gone; it also expires after {@link #TTL}. The token lives only in
 * this process's memory: a restart before it is used prints a new one and the old one is dead.
 */
public class SetupToken implements ApplicationRunner {

  public static final Duration TTL = Duration.ofHours(1);
  static final String PREFIX = "setup_";

  private static final Logger log = LoggerFactory.getLogger("dev.switchboard");

  private final ApiKeyService keys;
  private final DeploymentMode mode;
  private final boolean adminKeyConfigured;
  private final Clock clock;
  private final SecureRandom random;
  private final String publicUrl;

  private byte[] hash;
  private Instant expiresAt;

  public SetupToken(
      ApiKeyService keys,
      DeploymentMode mode,
      boolean adminKeyConfigured,
      Clock clock,
      SecureRandom random,
      String publicUrl) {
    this.keys = keys;
    this.mode = mode;
    this.adminKeyConfigured = adminKeyConfigured;
    this.clock = clock;
    this.random = random;
    this.publicUrl = publicUrl;
  }

  @Override
  public void run(ApplicationArguments args) {
    if (mode != DeploymentMode.PRODUCTION || adminKeyConfigured || hasLiveAdminKey()) {
      return;
    }
    String token = issue();
    // The one line that carries it: the first operator has the log and nothing else. Single use,
    // one hour.
    log.warn(
        "No admin API key yet. Create the first one (this token works once, for {} minutes, and is not shown "
            + "again): curl -X POST {}/api/setup/admin-key -H 'Content-Type: application/json' -d '{\"token\":\"{}\",\"name\":\"admin\"}' "
            + "(or paste it on {}/admin/setup)",
        TTL.toMinutes(),
        publicUrl,
        token,
        publicUrl);
  }

  /** Makes a new token, replacing any earlier one; returns it. */
  synchronized String issue() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    String token = PREFIX + HexFormat.of().formatHex(bytes);
    hash = sha256(token);
    expiresAt = clock.instant().plus(TTL);
    return token;
  }

  /**
   * Creates the first admin key with {@code token}, once.
   *
   * @throws ApiException 404 {@code setup_not_available} when no token is outstanding (used,
   *     expired, or an admin key exists), 401 {@code invalid_setup_token} when it does not match
   */
  public synchronized CreatedApiKey redeem(String token, String name) {
    if (hash == null || !clock.instant().isBefore(expiresAt) || hasLiveAdminKey()) {
      hash = null;
      throw new ApiException(
          404,
          "setup_not_available",
          "There is no setup token to use: it was used, expired, or an admin key already exists. Restart with no admin "
              + "key for a new one, or use SWITCHBOARD_ADMIN_API_KEY.");
    }
    if (token == null || !Digests.equal(hash, sha256(token))) {
      throw new ApiException(
          401, "invalid_setup_token", "The setup token is not the one printed at startup.");
    }
    // Spent only once the key exists: a name the store refuses leaves the token usable.
    CreatedApiKey created = keys.create(name, List.of(Scopes.ADMIN));
    hash = null;
    return created;
  }

  /**
   * Whether a token is outstanding: issued, not used, not expired, and no admin key exists yet. The
   * dashboard's setup page is shown only then.
   */
  public synchronized boolean available() {
    return hash != null && clock.instant().isBefore(expiresAt) && !hasLiveAdminKey();
  }

  private boolean hasLiveAdminKey() {
    return keys.list().stream().anyMatch(k -> !k.revoked() && k.scopes().contains(Scopes.ADMIN));
  }

  private static byte[] sha256(String token) {
    return Digests.sha256(token.getBytes(StandardCharsets.UTF_8));
  }
}
