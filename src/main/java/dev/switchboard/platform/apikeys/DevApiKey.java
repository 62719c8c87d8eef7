package dev.switchboard.platform.apikeys;

import dev.switchboard.platform.config.DeploymentMode;
import dev.switchboard.platform.config.SecretFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;

/**
 * Gives a new development install an admin key without any setup. On the first start in development
 * mode without {@code SWITCHBOARD_ADMIN_API_KEY}, it creates a key named {@code dev}, writes the
 * secret to {@code <data dir>/dev-api-key} (owner-only where the filesystem supports it) and logs
 * the key's prefix and the file, never the secret. Production never gets a generated key, and
 * revokes a development key it finds; the next development start then simply makes a new one.
 */
public class DevApiKey implements ApplicationRunner {

  public static final String FILE_NAME = "dev-api-key";
  static final String NAME = "dev";

  private static final Logger log = LoggerFactory.getLogger("dev.switchboard");

  private final ApiKeyService keys;
  private final DeploymentMode mode;
  private final Path dataDir;
  private final boolean adminKeyConfigured;

  /**
   * @param mode only development generates a key
   * @param dataDir where the key file goes
   * @param adminKeyConfigured whether {@code SWITCHBOARD_ADMIN_API_KEY} is set, which makes a
   *     generated key pointless
   */
  public DevApiKey(
      ApiKeyService keys, DeploymentMode mode, Path dataDir, boolean adminKeyConfigured) {
    this.keys = keys;
    this.mode = mode;
    this.dataDir = dataDir;
    this.adminKeyConfigured = adminKeyConfigured;
  }

  @Override
  public void run(ApplicationArguments args) {
    ensure();
  }

  /** Creates or finds the development key as described on the class. */
  void ensure() {
    if (adminKeyConfigured || mode == DeploymentMode.PRODUCTION) {
      // The development key was printed to a log once; it must not outlive development without an
      // operator key.
      revokeLeftover(dataDir.resolve(FILE_NAME).toAbsolutePath());
    }
    if (adminKeyConfigured) {
      return;
    }
    if (mode == DeploymentMode.PRODUCTION) {
      log.info(
          "No SWITCHBOARD_ADMIN_API_KEY set; create API keys with: java -jar switchboard.jar keys create "
              + "--name NAME --scopes {}",
          String.join(",", Scopes.ALL));
      return;
    }
    Path file = dataDir.resolve(FILE_NAME).toAbsolutePath();
    try {
      if (Files.exists(file)) {
        reuse(file);
      } else {
        create(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the development API key to " + file, e);
    }
  }

  private void revokeLeftover(Path file) {
    try {
      if (!Files.exists(file)) {
        return;
      }
      String secret = Files.readString(file, StandardCharsets.UTF_8).strip();
      Optional<ApiKey> key =
          ApiKeyGenerator.wellFormed(secret) ? keys.findBySecret(secret) : Optional.empty();
      if (key.isPresent() && !key.get().revoked()) {
        keys.revoke(key.get().id());
        log.warn(
            "Revoked the development API key in {}: an operator key is configured or this is production; "
                + "delete the file",
            file);
      }
    } catch (IOException | RuntimeException e) {
      log.warn("Could not check the development API key in {}: {}", file, e.toString());
    }
  }

  private void create(Path file) throws IOException {
    CreatedApiKey created = keys.create(NAME, List.of(Scopes.ADMIN));
    try {
      SecretFiles.createOwnerOnly(file);
      Files.writeString(file, created.secret().reveal() + "\n", StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      // A key nobody can read is useless; revoke it so a retry starts clean.
      keys.revoke(created.key().id());
      throw e;
    }
    // Credentials never reach the log (docs/configuration.md): the prefix recognises the key, the
    // file holds it.
    log.info(
        "Development API key {}… (admin scope) created; the key is in {} (KEY=$(cat {}))",
        created.key().prefix(),
        file,
        file);
  }

  private void reuse(Path file) throws IOException {
    String secret = Files.readString(file, StandardCharsets.UTF_8).strip();
    if (!ApiKeyGenerator.wellFormed(secret)) {
      log.warn(
          "{} does not hold an API key; delete it and restart to get a new development key", file);
      return;
    }
    Optional<ApiKey> existing = keys.findBySecret(secret);
    if (existing.isEmpty()) {
      // The database was reset (or DATABASE_URL changed) but the file survived: keep the file's key
      // working.
      keys.register(NAME, secret, List.of(Scopes.ADMIN));
    } else if (existing.get().revoked()) {
      // Production (or an operator key) revoked it on a start with this data dir; development just
      // works again.
      log.info("The development API key in {} was revoked; replacing it with a new one", file);
      replace(file);
      return;
    }
    log.info("Development API key (admin scope) is in {}", file);
  }

  private void replace(Path file) throws IOException {
    Files.delete(file);
    create(file);
  }
}
