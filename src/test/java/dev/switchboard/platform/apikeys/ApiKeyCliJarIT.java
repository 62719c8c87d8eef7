package dev.switchboard.platform.apikeys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.HttpTestClient;
import dev.switchboard.testing.JarProcess;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code java -jar switchboard.jar keys …} as an operator types it: no web server, quiet, quick.
 */
class ApiKeyCliJarIT {

  @Test
  void jarWhenKeysCreateThenPrintsSecretAndExitsWithoutStartingServer() throws Exception {
    Map<String, String> env =
        Map.of(
            "SWITCHBOARD_DATA_DIR",
            Path.of("target", "it-data", "cli-jar-" + UUID.randomUUID())
                .toAbsolutePath()
                .toString());
    String secret;
    try (JarProcess create =
        JarProcess.start("cli", env, "keys", "create", "--name", "jar", "--scopes", "admin")) {
      assertThat(create.awaitExit(Duration.ofSeconds(30))).as("exit status").isEqualTo(0);
      String output = create.output();
      assertThat(output)
          .doesNotContain("Switchboard ready")
          .doesNotContain("Tomcat")
          .doesNotContain("INFO")
          .doesNotContain("WARN");
      secret =
          output.lines().filter(l -> l.matches("^sk_[0-9A-Za-z]{43}$")).findFirst().orElseThrow();
    }
    try (JarProcess list = JarProcess.start("cli", env, "keys", "list")) {
      assertThat(list.awaitExit(Duration.ofSeconds(30))).isEqualTo(0);
      assertThat(list.output())
          .contains("jar")
          .contains(secret.substring(0, 7) + "…")
          .doesNotContain(secret);
    }
    try (JarProcess bad = JarProcess.start("cli", env, "keys", "rotate")) {
      assertThat(bad.awaitExit(Duration.ofSeconds(30))).isEqualTo(ApiKeyCli.USAGE);
      assertThat(bad.output()).contains("unknown command 'rotate'").contains("Usage:");
    }
  }

  /**
   * While the server runs on the H2 file (which it locks), the commands go through its key API,
   * authenticated with the dev key file of the shared data dir; a wrong {@code --key} or a server
   * that is not where the CLI looks is said plainly.
   */
  @Test
  void jarWhenServerHoldsTheH2FileThenKeysGoThroughItsApi() throws Exception {
    String dataDir =
        Path.of("target", "it-data", "cli-server-" + UUID.randomUUID()).toAbsolutePath().toString();
    try (JarProcess server =
        JarProcess.start("cli-server", Map.of("SWITCHBOARD_DATA_DIR", dataDir))) {
      server.awaitReady(Duration.ofSeconds(180));
      Map<String, String> env =
          Map.of("SWITCHBOARD_DATA_DIR", dataDir, "PORT", String.valueOf(server.port()));
      String devKey = Files.readString(Path.of(dataDir, DevApiKey.FILE_NAME)).strip();
      HttpTestClient http = new HttpTestClient(server.port()).authorized(devKey);

      String secret;
      try (JarProcess create =
          JarProcess.start(
              "cli", env, "keys", "create", "--name", "via-server", "--scopes", "email:send")) {
        assertThat(create.awaitExit(Duration.ofSeconds(30))).as(create.output()).isEqualTo(0);
        assertThat(create.output()).contains("in use by a running server").doesNotContain(devKey);
        secret =
            create
                .output()
                .lines()
                .filter(l -> l.matches("^sk_[0-9A-Za-z]{43}$"))
                .findFirst()
                .orElseThrow();
      }
      HttpResponse<String> listed = http.get("/api/keys");
      assertThat(listed.body()).contains("\"name\":\"via-server\"").doesNotContain(secret);
      String id = listed.body().replaceAll(".*\"id\":\"([^\"]+)\",\"name\":\"via-server\".*", "$1");
      assertThat(
              new HttpTestClient(server.port())
                  .authorized(secret)
                  .get("/api/integrations")
                  .statusCode())
          .isIn(200, 403);

      try (JarProcess list = JarProcess.start("cli", env, "keys", "list")) {
        assertThat(list.awaitExit(Duration.ofSeconds(30))).isEqualTo(0);
        assertThat(list.output())
            .contains(id)
            .contains("via-server")
            .contains(secret.substring(0, 7) + "…")
            .doesNotContain(secret);
      }
      try (JarProcess revoke = JarProcess.start("cli", env, "keys", "revoke", id)) {
        assertThat(revoke.awaitExit(Duration.ofSeconds(30))).isEqualTo(0);
        assertThat(revoke.output()).contains("Revoked " + id);
      }
      assertThat(new HttpTestClient(server.port()).authorized(secret).get("/api/keys").statusCode())
          .isEqualTo(401);

      try (JarProcess wrongKey =
          JarProcess.start(
              "cli", env, "keys", "list", "--key", "sk_not_a_real_key_0123456789abcdef")) {
        assertThat(wrongKey.awaitExit(Duration.ofSeconds(30))).isEqualTo(ApiKeyCli.FAILED);
        assertThat(wrongKey.output())
            .contains("refused the admin key (invalid_api_key)")
            .doesNotContain("sk_not_a_real_key");
      }
      try (JarProcess elsewhere =
          JarProcess.start(
              "cli",
              Map.of(
                  "SWITCHBOARD_DATA_DIR", dataDir, "PORT", String.valueOf(JarProcess.freePort())),
              "keys",
              "list")) {
        assertThat(elsewhere.awaitExit(Duration.ofSeconds(30))).isEqualTo(ApiKeyCli.FAILED);
        assertThat(elsewhere.output())
            .contains("error: cannot reach the server at http://localhost:");
      }
    }
  }
}
