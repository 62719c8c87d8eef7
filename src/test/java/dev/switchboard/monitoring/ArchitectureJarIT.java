package dev.switchboard.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.JarProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code java -jar switchboard.jar architecture} and {@code status} as an operator types them: no
 * server, no noise.
 */
class ArchitectureJarIT {

  static Map<String, String> env() {
    return Map.of(
        "SWITCHBOARD_DATA_DIR",
        Path.of("target", "it-data", "architecture-jar-" + UUID.randomUUID())
            .toAbsolutePath()
            .toString(),
        "EMAIL_PROVDER",
        "sendgrid",
        "STRIPE_SECRET_KEY",
        "sk_test_51HxSecretStripeKeyValue9876",
        "STRIPE_WEBHOOK_SECRET",
        "whsec_SigningSecretValueAbcdEfgh12345678");
  }

  @Test
  void jarWhenArchitectureThenPrintsTheDocumentWithoutStartingServer() throws Exception {
    try (JarProcess doc = JarProcess.start("architecture", env(), "architecture")) {
      assertThat(doc.awaitExit(Duration.ofSeconds(60))).as("exit status").isEqualTo(0);
      String output = doc.output();
      assertThat(output)
          .startsWith("# Switchboard - Integration Architecture")
          .contains("## 9. Monitoring & Alerts", "| Mode | Test |", "sk_test_…9876")
          .contains(
              "| welcome | Sent after sign-up so the user can confirm their address. | name, verifyUrl |")
          .doesNotContain("Tomcat")
          .doesNotContain("Switchboard ready")
          .doesNotContain("DEBUG")
          .doesNotContain(" INFO ")
          .doesNotContain("51HxSecretStripeKeyValue")
          .doesNotContain("SigningSecretValue");
    }
  }

  @Test
  void jarWhenStatusThenTableChecklistAndTypoWarning() throws Exception {
    try (JarProcess status = JarProcess.start("status", env(), "status")) {
      assertThat(status.awaitExit(Duration.ofSeconds(60))).as("exit status").isEqualTo(0);
      assertThat(status.output())
          .containsPattern("payments\\.stripe +stripe +test +STRIPE_SECRET_KEY=sk_live_")
          .containsPattern("email +outbox +dev")
          .containsPattern("Dashboard:  http://localhost:\\d+/admin")
          .contains("did you mean EMAIL_PROVIDER?")
          .doesNotContain("Tomcat")
          .doesNotContain("51HxSecretStripeKeyValue");
    }
  }
}
