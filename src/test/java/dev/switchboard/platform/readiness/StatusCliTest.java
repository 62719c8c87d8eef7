package dev.switchboard.platform.readiness;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.platform.config.ConfigFinding;
import dev.switchboard.platform.config.ConfigFinding.Kind;
import dev.switchboard.platform.config.SwitchboardConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusCliTest {

  @TempDir Path dataDir;

  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  int run(Map<String, String> env, String... args) {
    return StatusCli.run(
        args,
        env::get,
        env.keySet(),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  String output() {
    return out.toString(StandardCharsets.UTF_8);
  }

  /** A production environment on one box: H2, local files, real email, no Stripe. */
  Map<String, String> singleBoxProduction() {
    Map<String, String> env =
        new HashMap<>(
            Map.of(
                "SWITCHBOARD_ENV",
                "production",
                "SWITCHBOARD_PUBLIC_URL",
                "https://api.example.com",
                "EMAIL_PROVIDER",
                "postmark",
                "POSTMARK_SERVER_TOKEN",
                "pm-token-secret-value",
                "EMAIL_FROM",
                "no-reply@example.com",
                "AUTH_OAUTH_PROVIDERS",
                "none",
                "SWITCHBOARD_DATA_DIR",
                dataDir.toString()));
    return env;
  }

  @Test
  void statusWhenNoEnvironmentThenTableOfEveryIntegrationDashboardAndDevKey() throws Exception {
    Files.writeString(dataDir.resolve("dev-api-key"), "sk_dev_secret");
    int status = run(Map.of("SWITCHBOARD_DATA_DIR", dataDir.toString()));

    assertThat(status).isZero();
    assertThat(output())
        .contains("Switchboard (development mode)")
        .containsPattern("INTEGRATION +PROVIDER +MODE +TO MAKE IT LIVE")
        .containsPattern("database +h2 +embedded +DATABASE_URL=postgresql://user:pass@host:5432/db")
        .containsPattern(
            "auth\\.google +dev identity provider +dev +GOOGLE_CLIENT_ID \\+ GOOGLE_CLIENT_SECRET")
        .containsPattern("email +outbox +dev +EMAIL_PROVIDER")
        .containsPattern("payments\\.stripe +dev checkout +dev +STRIPE_SECRET_KEY")
        .containsPattern("storage +local +embedded +STORAGE_PROVIDER=s3\\|r2")
        .containsPattern("errors +local table +embedded +SENTRY_DSN")
        .containsPattern("alerts +dashboard \\+ outbox +dev")
        .contains("Dashboard:  http://localhost:8080/admin")
        .contains("Admin key:  " + dataDir.resolve("dev-api-key") + " (cat it to sign in)")
        .contains("Before production (")
        .contains("  [refused in production] SWITCHBOARD_PUBLIC_URL: points at this machine")
        .contains("  [embedded] DATABASE_URL: H2 file database")
        .doesNotContain("sk_dev_secret");
  }

  @Test
  void statusWhenLiveProvidersThenLiveRowsAndSecretsMasked() {
    Map<String, String> env = singleBoxProduction();
    env.put("STRIPE_SECRET_KEY", "sk_live_51HxSecretStripeKeyValue9876");
    env.put("STRIPE_WEBHOOK_SECRET", "whsec_SigningSecretValueAbcdEfgh12345678");
    env.put("SWITCHBOARD_ADMIN_API_KEY", "sk_Xq3vR8tLm2Pz7KwN9bYc4HdJ6fGs1AeUa");
    env.put("DATABASE_URL", "postgresql://app:pg-db-password-77@db.internal:5432/app");

    assertThat(run(env)).isZero();
    assertThat(output())
        .containsPattern("database +postgresql +live +-")
        .containsPattern("payments\\.stripe +stripe +live +-")
        .containsPattern("email +postmark +live +-")
        .contains("Admin key:  SWITCHBOARD_ADMIN_API_KEY (sk_…AeUa)")
        .doesNotContain("pg-db-password-77")
        .doesNotContain("SigningSecretValue")
        .doesNotContain("SecretStripeKeyValue")
        .doesNotContain("Xq3vR8tLm2Pz7KwN9bYc4")
        .doesNotContain("pm-token-secret-value");
  }

  @Test
  void statusWhenMisspelledVariableThenCheckedListsItWithDidYouMean() {
    Map<String, String> env =
        new HashMap<>(
            Map.of(
                "SWITCHBOARD_DATA_DIR",
                dataDir.toString(),
                "EMAIL_PROVDER",
                "sendgrid",
                "SENDGRID_APIKEY",
                "SG.secret-value"));

    assertThat(run(env)).isZero();
    assertThat(output())
        .contains(
            "[unknown variable] EMAIL_PROVDER: is not a Switchboard variable and is ignored; did you mean EMAIL_PROVIDER?")
        .contains(
            "[unknown variable] SENDGRID_APIKEY: is not a Switchboard variable and is ignored; did you mean SENDGRID_API_KEY?")
        .containsPattern("email +outbox +dev")
        .doesNotContain("SG.secret-value");
  }

  @Test
  void statusWhenArgumentsOrInvalidConfigurationThenUsageOrProblems() {
    assertThat(run(Map.of(), "--verbose")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("status takes no arguments");
    assertThat(run(Map.of("EMAIL_PROVIDER", "sendgird"))).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("EMAIL_PROVIDER: unknown provider 'sendgird'");
    assertThat(output()).isEmpty();
  }

  @Test
  void checklistWhenProductionOnOneBoxThenEmbeddedItemsSayOneInstanceAndBackUp() {
    SwitchboardConfig config = SwitchboardConfig.load(singleBoxProduction()::get);
    Readiness readiness = new Readiness(config, List.of());

    assertThat(readiness.integrations())
        .filteredOn(r -> r.integration().equals("database"))
        .singleElement()
        .satisfies(r -> assertThat(r.mode()).isEqualTo("embedded"));
    List<ConfigFinding> checklist = readiness.checklist();
    assertThat(checklist)
        .filteredOn(f -> f.kind() == Kind.EMBEDDED)
        .extracting(ConfigFinding::variable)
        .contains("DATABASE_URL", "STORAGE_PROVIDER", "REDIS_URL", "SWITCHBOARD_AUTH_KEY_SECRET");
    assertThat(checklist)
        .filteredOn(f -> f.variable().equals("DATABASE_URL"))
        .singleElement()
        .satisfies(
            f ->
                assertThat(f.message())
                    .contains("one instance only")
                    .contains("back up " + dataDir));
    assertThat(checklist)
        .anySatisfy(
            f -> {
              assertThat(f.kind()).isEqualTo(Kind.MISSING);
              assertThat(f.variable()).isEqualTo("SWITCHBOARD_ADMIN_API_KEY");
            });
    assertThat(checklist)
        .anySatisfy(
            f -> {
              assertThat(f.kind()).isEqualTo(Kind.MISSING);
              assertThat(f.message()).contains("payments are off");
            });
    assertThat(checklist).extracting(ConfigFinding::kind).isSorted();
  }

  @Test
  void checklistWhenEverythingLiveAndSafeThenEmpty() {
    Map<String, String> env = singleBoxProduction();
    env.putAll(
        Map.of(
            "DATABASE_URL",
            "postgresql://app:pw@db:5432/app",
            "REDIS_URL",
            "redis://cache:6379",
            "STORAGE_PROVIDER",
            "s3",
            "S3_BUCKET",
            "uploads",
            "S3_REGION",
            "eu-west-1",
            "AWS_ACCESS_KEY_ID",
            "AKIAEXAMPLE1234",
            "AWS_SECRET_ACCESS_KEY",
            "awsSecretAccessKeyValue0123456789abcd",
            "SENTRY_DSN",
            "https://k@o1.ingest.sentry.io/1",
            "SEGMENT_WRITE_KEY",
            "segkey",
            "SLACK_WEBHOOK_URL",
            "https://hooks.slack.com/services/T/B/x"));
    env.putAll(
        Map.of(
            "SWITCHBOARD_ADMIN_API_KEY",
            "sk_Xq3vR8tLm2Pz7KwN9bYc4HdJ6fGs1AeUa",
            "SWITCHBOARD_AUTH_KEY_SECRET",
            "Mk2Lp9Qr4St7Uv1Wx5Yz8Ab3Cd6Ef0Gh",
            "STRIPE_SECRET_KEY",
            "sk_live_abc123",
            "STRIPE_WEBHOOK_SECRET",
            "whsec_SigningSecretValueAbcdEfgh12345678"));
    Readiness readiness = new Readiness(SwitchboardConfig.load(env::get), env.keySet());

    assertThat(readiness.checklist()).isEmpty();
    assertThat(readiness.integrations())
        .filteredOn(
            r -> !r.integration().startsWith("auth.") && !r.integration().equals("payments.paypal"))
        .allSatisfy(r -> assertThat(r.mode()).isEqualTo("live"));
    StatusCli.print(readiness, new PrintStream(out, true, StandardCharsets.UTF_8));
    assertThat(output())
        .contains("Ready for production: nothing is a dev or embedded default, weak, or missing.");
  }
}
