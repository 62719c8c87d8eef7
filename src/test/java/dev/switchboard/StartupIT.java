package dev.switchboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.HttpTestClient;
import dev.switchboard.testing.JarProcess;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The packaged jar, started as a user starts it (the fat jar itself: {@code java -jar}). */
class StartupIT {

  @Test
  void startWhenNoEnvironmentThenReadyWithEmbeddedDefaults() throws Exception {
    try (JarProcess app =
        JarProcess.startPlain("defaults", Map.of()).awaitReady(Duration.ofSeconds(180))) {
      assertThat(app.output())
          .containsPattern(
              "Switchboard ready in development mode on port \\d+ \\(database: h2\\); dashboard: http://localhost:\\d+/admin");
      HttpTestClient http = new HttpTestClient(app.port());
      assertThat(http.get("/actuator/health").body()).contains("\"status\":\"UP\"");
    }
  }

  @Test
  void startWhenEmailProviderMisspelledThenExitsQuicklyNamingVariable() throws Exception {
    assertFailsNaming(
        Map.of("EMAIL_PROVIDER", "sendgird"),
        "EMAIL_PROVIDER: unknown provider 'sendgird'; expected one of sendgrid, postmark, resend, smtp, outbox");
  }

  @Test
  void startWhenDatabaseUrlMalformedThenExitsNamingVariableWithoutPassword() throws Exception {
    String output =
        assertFailsNaming(
            Map.of("DATABASE_URL", "postgresql://app:Sup3rS3cretPw@db host:5432/app"),
            "DATABASE_URL:");
    assertThat(output).doesNotContain("Sup3rS3cretPw");
  }

  @Test
  void startWhenProductionWithoutPublicUrlThenExitsNamingVariable() throws Exception {
    assertFailsNaming(
        Map.of(
            "SWITCHBOARD_ENV",
            "production",
            "EMAIL_PROVIDER",
            "smtp",
            "SMTP_URL",
            "smtp://mail.example.com:587",
            "EMAIL_FROM",
            "no-reply@example.com",
            "AUTH_OAUTH_PROVIDERS",
            "none"),
        "SWITCHBOARD_PUBLIC_URL: required in production");
  }

  private static String assertFailsNaming(Map<String, String> env, String expected)
      throws Exception {
    try (JarProcess app = JarProcess.start("invalid", env)) {
      // From the process's start: making the jar tests' class cache, once, comes before it.
      long started = System.nanoTime();
      int exit = app.awaitExit(Duration.ofSeconds(20));
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      assertThat(exit).as("exit status").isEqualTo(Switchboard.EXIT_CONFIGURATION);
      assertThat(took).isLessThan(Duration.ofSeconds(10));
      assertThat(app.output()).contains(expected).doesNotContain("Exception");
      return app.output();
    }
  }
}
