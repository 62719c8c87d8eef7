package dev.switchboard.platform.apikeys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.platform.config.DeploymentMode;
import dev.switchboard.testing.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevApiKeyTest {

  @TempDir Path dataDir;

  private final InMemoryApiKeyStore store = new InMemoryApiKeyStore();
  private final ApiKeyService keys =
      new ApiKeyService(
          store,
          new ApiKeyGenerator(new SecureRandom()),
          new ManualClock(Instant.parse("2026-03-01T10:00:00Z")),
          Optional.empty());

  private DevApiKey dev(DeploymentMode mode, boolean adminKeyConfigured) {
    return new DevApiKey(keys, mode, dataDir, adminKeyConfigured);
  }

  @Test
  void ensureWhenFirstDevelopmentStartThenOwnerOnlyFileWithAWorkingAdminKey() throws Exception {
    dev(DeploymentMode.DEVELOPMENT, false).ensure();
    Path file = dataDir.resolve(DevApiKey.FILE_NAME);
    String secret = Files.readString(file).strip();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(keys.authenticate(secret))
        .hasValueSatisfying(c -> assertThat(c.has("payments:write")).isTrue());
    assertThat(keys.list())
        .singleElement()
        .satisfies(
            k -> {
              assertThat(k.name()).isEqualTo("dev");
              assertThat(k.scopes()).containsExactly("admin");
            });
  }

  @Test
  void ensureWhenFileAlreadyThereThenSameKeyAndNoSecondKey() throws Exception {
    dev(DeploymentMode.DEVELOPMENT, false).ensure();
    String secret = Files.readString(dataDir.resolve(DevApiKey.FILE_NAME));
    dev(DeploymentMode.DEVELOPMENT, false).ensure();
    assertThat(Files.readString(dataDir.resolve(DevApiKey.FILE_NAME))).isEqualTo(secret);
    assertThat(keys.list()).hasSize(1);
  }

  @Test
  void ensureWhenFileSurvivedADatabaseResetThenItsKeyIsRegisteredAgain() throws Exception {
    String secret = new ApiKeyGenerator(new SecureRandom()).newSecret();
    Files.writeString(dataDir.resolve(DevApiKey.FILE_NAME), secret + "\n");
    dev(DeploymentMode.DEVELOPMENT, false).ensure();
    assertThat(keys.authenticate(secret)).isPresent();
    assertThat(keys.list()).singleElement().satisfies(k -> assertThat(k.name()).isEqualTo("dev"));
  }

  @Test
  void ensureWhenFileKeyWasRevokedThenStaysRevokedAndANewKeyReplacesItInTheFile() throws Exception {
    dev(DeploymentMode.DEVELOPMENT, false).ensure();
    String secret = Files.readString(dataDir.resolve(DevApiKey.FILE_NAME)).strip();
    keys.revoke(keys.list().get(0).id());
    dev(DeploymentMode.DEVELOPMENT, false).ensure();
    assertThat(keys.authenticate(secret)).isEmpty();
    String replaced = Files.readString(dataDir.resolve(DevApiKey.FILE_NAME)).strip();
    assertThat(replaced).isNotEqualTo(secret);
    assertThat(keys.authenticate(replaced)).isPresent();
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dataDir.resolve(DevApiKey.FILE_NAME))))
        .isEqualTo("rw-------");
  }

  @Test
  void ensureWhenFileHoldsSomethingElseThenLeftAloneAndNoKeyCreated() throws Exception {
    Files.writeString(dataDir.resolve(DevApiKey.FILE_NAME), "not a key");
    dev(DeploymentMode.DEVELOPMENT, false).ensure();
    assertThat(Files.readString(dataDir.resolve(DevApiKey.FILE_NAME))).isEqualTo("not a key");
    assertThat(keys.list()).isEmpty();
  }

  @Test
  void ensureWhenProductionThenNothingGenerated() {
    dev(DeploymentMode.PRODUCTION, false).ensure();
    assertThat(dataDir.resolve(DevApiKey.FILE_NAME)).doesNotExist();
    assertThat(keys.list()).isEmpty();
  }

  @Test
  void ensureWhenAdminKeyConfiguredThenNothingGenerated() {
    dev(DeploymentMode.DEVELOPMENT, true).ensure();
    assertThat(dataDir.resolve(DevApiKey.FILE_NAME)).doesNotExist();
    assertThat(store.list()).isEqualTo(List.of());
  }

  @Test
  void ensureWhenLaterProductionOrOperatorKeyThenLeftoverDevelopmentKeyRevoked() throws Exception {
    for (boolean production : new boolean[] {true, false}) {
      java.nio.file.Files.deleteIfExists(dataDir.resolve(DevApiKey.FILE_NAME));
      dev(DeploymentMode.DEVELOPMENT, false).ensure();
      String secret = Files.readString(dataDir.resolve(DevApiKey.FILE_NAME)).strip();
      assertThat(keys.authenticate(secret)).isPresent();

      dev(production ? DeploymentMode.PRODUCTION : DeploymentMode.DEVELOPMENT, !production)
          .ensure();

      assertThat(keys.authenticate(secret))
          .as(production ? "production" : "operator key set")
          .isEmpty();
    }
  }
}
