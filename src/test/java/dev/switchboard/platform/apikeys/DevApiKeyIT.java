package dev.switchboard.platform.apikeys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.Switchboard;
import dev.switchboard.testing.HttpTestClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/** The development key across two starts of the real application on the same data dir. */
@ExtendWith(OutputCaptureExtension.class)
class DevApiKeyIT {

  @Test
  void startWhenDevelopmentWithoutAdminKeyThenKeyFileWrittenOwnerOnlyAndSecretNeverLogged(
      CapturedOutput output) throws Exception {
    Path dataDir =
        Path.of("target", "it-data", "dev-api-key-" + UUID.randomUUID()).toAbsolutePath();
    Path file = dataDir.resolve(DevApiKey.FILE_NAME);

    String secret;
    try (ConfigurableApplicationContext app = start(dataDir)) {
      secret = Files.readString(file).strip();
      assertThat(secret).matches("^sk_[0-9A-Za-z]{43}$");
      assertThat(occurrences(output.getAll(), secret)).as("secret never logged").isZero();
      assertThat(output.getAll())
          .contains("Development API key " + secret.substring(0, 7) + "…")
          .contains("the key is in " + file);
      assertThat(
              java.nio.file.attribute.PosixFilePermissions.toString(
                  Files.getPosixFilePermissions(file)))
          .isEqualTo("rw-------");
      JsonNode keys = list(app, secret);
      assertThat(keys.get("keys"))
          .singleElement()
          .satisfies(
              k -> {
                assertThat(k.get("name").stringValue()).isEqualTo("dev");
                assertThat(k.get("scopes").toString()).isEqualTo("[\"admin\"]");
              });
    }

    int firstRunEnd = output.getAll().length();
    try (ConfigurableApplicationContext app = start(dataDir)) {
      String secondRun = output.getAll().substring(firstRunEnd);
      assertThat(secondRun)
          .doesNotContain(secret)
          .contains("Development API key (admin scope) is in " + file);
      assertThat(Files.readString(file).strip()).isEqualTo(secret);
      assertThat(list(app, secret).get("keys")).hasSize(1);
    }
    assertThat(occurrences(output.getAll(), secret)).isZero();
  }

  @Test
  void
      startWhenDevelopmentKeyWasRevokedByAnOperatorKeyStartThenNewWorkingKeyWithoutAskingToDeleteTheFile(
          CapturedOutput output) throws Exception {
    Path dataDir =
        Path.of("target", "it-data", "dev-api-key-revoked-" + UUID.randomUUID()).toAbsolutePath();
    Path file = dataDir.resolve(DevApiKey.FILE_NAME);
    String first;
    try (ConfigurableApplicationContext app = start(dataDir)) {
      first = Files.readString(file).strip();
    }
    // Production, or any start with an operator key, revokes the development key it finds (the same
    // path).
    try (ConfigurableApplicationContext app =
        start(dataDir, "--SWITCHBOARD_ADMIN_API_KEY=" + ApiKeysIT.ADMIN_KEY)) {
      int port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
      assertThat(
              new HttpTestClient(port)
                  .get("/api/keys", "Authorization", "Bearer " + first)
                  .statusCode())
          .isEqualTo(401);
    }
    int before = output.getAll().length();
    try (ConfigurableApplicationContext app = start(dataDir)) {
      String second = Files.readString(file).strip();
      assertThat(second).isNotEqualTo(first).matches("^sk_[0-9A-Za-z]{43}$");
      assertThat(list(app, second).get("keys").toString()).contains("\"name\":\"dev\"");
      assertThat(output.getAll().substring(before)).doesNotContain("delete").doesNotContain(second);
    }
  }

  @Test
  void startWhenAdminKeyConfiguredThenNoDevelopmentKey(CapturedOutput output) {
    Path dataDir =
        Path.of("target", "it-data", "dev-api-key-admin-" + UUID.randomUUID()).toAbsolutePath();
    try (ConfigurableApplicationContext app =
        start(dataDir, "--SWITCHBOARD_ADMIN_API_KEY=" + ApiKeysIT.ADMIN_KEY)) {
      assertThat(dataDir.resolve(DevApiKey.FILE_NAME)).doesNotExist();
      assertThat(list(app, ApiKeysIT.ADMIN_KEY).get("keys")).isEmpty();
      assertThat(output.getAll())
          .doesNotContain("Development API key")
          .doesNotContain(ApiKeysIT.ADMIN_KEY);
    }
  }

  private static ConfigurableApplicationContext start(Path dataDir, String... extra) {
    String[] args = new String[extra.length + 2];
    args[0] = "--SWITCHBOARD_DATA_DIR=" + dataDir;
    args[1] = "--server.port=0";
    System.arraycopy(extra, 0, args, 2, extra.length);
    return new SpringApplicationBuilder(Switchboard.class).run(args);
  }

  private static JsonNode list(ConfigurableApplicationContext app, String key) {
    int port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
    HttpResponse<String> response =
        new HttpTestClient(port).get("/api/keys", "Authorization", "Bearer " + key);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return ApiKeysIT.json(response);
  }

  private static int occurrences(String text, String needle) {
    int count = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
      count++;
    }
    return count;
  }
}
