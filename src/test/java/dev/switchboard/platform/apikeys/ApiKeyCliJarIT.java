package dev.switchboard.platform.apikeys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.JarProcess;
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
}
