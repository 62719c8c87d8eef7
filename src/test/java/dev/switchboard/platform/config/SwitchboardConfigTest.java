package dev.switchboard.platform.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.switchboard.auth.AuthConfig;
import dev.switchboard.email.EmailConfig;
import dev.switchboard.monitoring.ErrorsConfig;
import dev.switchboard.payments.PaymentsConfig;
import dev.switchboard.storage.StorageConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SwitchboardConfigTest {

  static SwitchboardConfig load(Map<String, String> env) {
    return SwitchboardConfig.load(env::get);
  }

  static InvalidConfigurationException problems(Map<String, String> env) {
    return org.assertj.core.api.Assertions.catchThrowableOfType(
        InvalidConfigurationException.class, () -> load(env));
  }

  @Test
  void loadWhenEnvironmentEmptyThenEmbeddedDefaults() {
    SwitchboardConfig config = load(Map.of());
    assertThat(config.core().mode()).isEqualTo(DeploymentMode.DEVELOPMENT);
    assertThat(config.core().port()).isEqualTo(8080);
    assertThat(config.core().publicUrl()).hasToString("http://localhost:8080");
    assertThat(config.core().database().kind()).isEqualTo(DatabaseConfig.Kind.H2);
    assertThat(config.core().database().jdbcUrl())
        .startsWith("jdbc:h2:file:")
        .contains("data")
        .as("commits reach the file within 10 ms, so a killed process forgets almost nothing")
        .contains(";WRITE_DELAY=10");
    assertThat(config.area(EmailConfig.class).provider()).isEqualTo("outbox");
    assertThat(config.area(EmailConfig.class).rateLimit()).isEqualTo(Rate.parse("100/s"));
    assertThat(config.area(PaymentsConfig.class).rateLimit()).isEqualTo(Rate.parse("25/s"));
    assertThat(config.area(StorageConfig.class).provider()).isEqualTo("local");
    assertThat(config.area(StorageConfig.class).policy())
        .containsEntry("image/*", 5L * 1024 * 1024)
        .containsEntry("application/pdf", 10L * 1024 * 1024);
    assertThat(config.area(ErrorsConfig.class).sentryDsn()).isEmpty();
    assertThat(config.area(ErrorsConfig.class).tracesSampleRate()).isEqualTo(0.1);
  }

  @Test
  void loadWhenEmailProviderMisspelledThenNamesVariableAndAllowedValues() {
    InvalidConfigurationException e = problems(Map.of("EMAIL_PROVIDER", "sendgird"));
    assertThat(e.problems())
        .containsExactly(
            "EMAIL_PROVIDER: unknown provider 'sendgird'; expected one of sendgrid, postmark, resend, smtp, outbox");
  }

  @Test
  void loadWhenSeveralProblemsThenReportsEveryOne() {
    InvalidConfigurationException e =
        problems(
            Map.of(
                "EMAIL_PROVIDER", "sendgird",
                "DATABASE_URL", "mysql://db/x",
                "PORT", "eighty",
                "STORAGE_PROVIDER", "gcs",
                "EMAIL_RATE_LIMIT", "fast"));
    assertThat(e.problems())
        .hasSize(5)
        .anySatisfy(p -> assertThat(p).startsWith("EMAIL_PROVIDER:"))
        .anySatisfy(p -> assertThat(p).startsWith("DATABASE_URL:"))
        .anySatisfy(p -> assertThat(p).startsWith("PORT:"))
        .anySatisfy(p -> assertThat(p).startsWith("STORAGE_PROVIDER:").contains("s3, r2, local"))
        .anySatisfy(p -> assertThat(p).startsWith("EMAIL_RATE_LIMIT:"));
  }

  @Test
  void loadWhenProductionWithoutPublicUrlThenAsksForIt() {
    InvalidConfigurationException e =
        problems(
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
                "none"));
    assertThat(e.problems())
        .singleElement()
        .asString()
        .startsWith("SWITCHBOARD_PUBLIC_URL: required in production");
  }

  @Test
  void loadWhenProductionWithHttpPublicUrlAndOutboxThenRefusesBoth() {
    InvalidConfigurationException e =
        problems(
            Map.of(
                "SWITCHBOARD_ENV",
                "production",
                "SWITCHBOARD_PUBLIC_URL",
                "http://api.example.com"));
    assertThat(e.problems())
        .anySatisfy(
            p -> assertThat(p).startsWith("SWITCHBOARD_PUBLIC_URL: must be an https:// URL"))
        .anySatisfy(p -> assertThat(p).startsWith("EMAIL_PROVIDER: the dev outbox"))
        .anySatisfy(p -> assertThat(p).startsWith("EMAIL_FROM: required in production"));
  }

  @Test
  void loadWhenProductionFullyConfiguredThenStarts() {
    SwitchboardConfig config =
        load(
            Map.of(
                "SWITCHBOARD_ENV",
                "production",
                "SWITCHBOARD_PUBLIC_URL",
                "https://api.example.com/",
                "EMAIL_PROVIDER",
                "postmark",
                "POSTMARK_SERVER_TOKEN",
                "pm-token-123456789",
                "EMAIL_FROM",
                "App <no-reply@example.com>",
                "GOOGLE_CLIENT_ID",
                "g-id.apps.example.com",
                "GOOGLE_CLIENT_SECRET",
                "g-secret",
                "AUTH_OAUTH_PROVIDERS",
                "google"));
    assertThat(config.core().production()).isTrue();
    assertThat(config.area(AuthConfig.class).oauthProviders()).containsExactly("google");
    assertThat(config.core().publicUrl()).hasToString("https://api.example.com");
  }

  @Test
  void
      loadWhenProductionWithoutOAuthClientIdsThenRefusesTheDevIdentityProviderNamingBothVariables() {
    InvalidConfigurationException e =
        problems(
            Map.of(
                "SWITCHBOARD_ENV",
                "production",
                "SWITCHBOARD_PUBLIC_URL",
                "https://api.example.com",
                "EMAIL_PROVIDER",
                "postmark",
                "POSTMARK_SERVER_TOKEN",
                "pm-token-123456789",
                "EMAIL_FROM",
                "no-reply@example.com"));
    assertThat(e.problems())
        .hasSize(2)
        .anySatisfy(
            p ->
                assertThat(p)
                    .startsWith("GOOGLE_CLIENT_ID: the dev identity provider")
                    .contains("refused in production"))
        .anySatisfy(p -> assertThat(p).startsWith("GITHUB_CLIENT_ID: the dev identity provider"));
  }

  @Test
  void loadWhenUnknownOAuthProviderListedThenNamesTheAllowedOnes() {
    InvalidConfigurationException e = problems(Map.of("AUTH_OAUTH_PROVIDERS", "google,facebook"));
    assertThat(e.problems())
        .singleElement()
        .asString()
        .startsWith("AUTH_OAUTH_PROVIDERS: unknown provider 'facebook'");
  }

  @Test
  void loadWhenPlatformDatabaseUrlThenJdbcUrlWithSeparateCredentials() {
    SwitchboardConfig config =
        load(
            Map.of(
                "DATABASE_URL", "postgresql://app:p%40ss@db.internal:6543/main?sslmode=require"));
    DatabaseConfig db = config.core().database();
    assertThat(db.kind()).isEqualTo(DatabaseConfig.Kind.POSTGRESQL);
    assertThat(db.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:6543/main?sslmode=require");
    assertThat(db.username()).isEqualTo("app");
    assertThat(db.password()).hasValueSatisfying(p -> assertThat(p.reveal()).isEqualTo("p@ss"));
    assertThat(db.display()).doesNotContain("p@ss").doesNotContain("p%40ss");
    assertThat(db.toString()).doesNotContain("p@ss");
  }

  @Test
  void loadWhenJdbcDatabaseUrlThenUsedAsIs() {
    DatabaseConfig db =
        load(Map.of("DATABASE_URL", "jdbc:postgresql://127.0.0.1:5432/test")).core().database();
    assertThat(db.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/test");
  }

  @Test
  void loadWhenDatabaseUrlMalformedThenProblemDoesNotEchoCredentials() {
    InvalidConfigurationException e =
        problems(Map.of("DATABASE_URL", "postgresql://app:hunter2hunter2@db host/x"));
    assertThat(e.problems())
        .singleElement()
        .asString()
        .startsWith("DATABASE_URL:")
        .doesNotContain("hunter2");
    assertThat(problems(Map.of("DATABASE_URL", "postgresql://app@db:5432")).problems())
        .singleElement()
        .asString()
        .contains("names no database");
  }

  @Test
  void loadWhenValueInFileThenReadsFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("key");
    Files.writeString(file, "SG.abcdefghijklmnopqrstuvwxyz\n");
    SwitchboardConfig config =
        load(Map.of("EMAIL_PROVIDER", "sendgrid", "SENDGRID_API_KEY_FILE", file.toString()));
    assertThat(config.area(EmailConfig.class).sendgridApiKey())
        .hasValueSatisfying(k -> assertThat(k.reveal()).isEqualTo("SG.abcdefghijklmnopqrstuvwxyz"));
  }

  @Test
  void loadWhenFileMissingOrBothFormsSetThenProblems(@TempDir Path dir) {
    assertThat(problems(Map.of("SENDGRID_API_KEY_FILE", dir.resolve("nope").toString())).problems())
        .anySatisfy(p -> assertThat(p).startsWith("SENDGRID_API_KEY_FILE: cannot read file"));
    assertThat(problems(Map.of("RESEND_API_KEY", "re_1", "RESEND_API_KEY_FILE", "/x")).problems())
        .anySatisfy(p -> assertThat(p).startsWith("RESEND_API_KEY: set either"));
  }

  @Test
  void loadWhenProviderChosenWithoutCredentialThenNamesCredential() {
    assertThat(problems(Map.of("EMAIL_PROVIDER", "resend")).problems())
        .containsExactly("RESEND_API_KEY: required when EMAIL_PROVIDER=resend");
    assertThat(problems(Map.of("STORAGE_PROVIDER", "s3")).problems())
        .contains(
            "S3_BUCKET: required when STORAGE_PROVIDER=s3",
            "S3_REGION: required when STORAGE_PROVIDER=s3");
  }

  @Test
  void loadWhenClientIdWithoutSecretThenCompanionProblem() {
    assertThat(problems(Map.of("GOOGLE_CLIENT_ID", "abc.apps.googleusercontent.com")).problems())
        .containsExactly("GOOGLE_CLIENT_SECRET: must be set together with GOOGLE_CLIENT_ID");
  }

  @Test
  void loadWhenNotYetBuiltAreasHaveTyposThenStillRejected() {
    Map<String, String> env = new HashMap<>();
    env.put("STRIPE_SECRET_KEY", "pk_test_wrongkind");
    env.put("PAYPAL_MODE", "prod");
    env.put("SENTRY_TRACES_SAMPLE_RATE", "10");
    env.put("STORAGE_POLICY", "image/*:5XB");
    env.put("SLACK_WEBHOOK_URL", "hooks.slack.com/services/x");
    env.put("SWITCHBOARD_REDIRECT_ALLOWLIST", "https://app.example.com/callback");
    assertThat(problems(env).problems())
        .anySatisfy(p -> assertThat(p).startsWith("STRIPE_SECRET_KEY:").doesNotContain("wrongkind"))
        .anySatisfy(p -> assertThat(p).startsWith("STRIPE_WEBHOOK_SECRET:"))
        .anySatisfy(
            p ->
                assertThat(p)
                    .startsWith("PAYPAL_MODE: unknown mode 'prod'; expected one of sandbox, live"))
        .anySatisfy(p -> assertThat(p).startsWith("SENTRY_TRACES_SAMPLE_RATE:"))
        .anySatisfy(p -> assertThat(p).startsWith("STORAGE_POLICY:"))
        .anySatisfy(p -> assertThat(p).startsWith("SLACK_WEBHOOK_URL:"))
        .anySatisfy(
            p ->
                assertThat(p)
                    .startsWith("SWITCHBOARD_REDIRECT_ALLOWLIST:")
                    .contains("not an origin"));
  }

  @Test
  void loadWhenAllowlistNamesMobileSchemesThenKeepsThemAndRefusesUnsafeOnes() {
    assertThat(
            load(Map.of(
                    "SWITCHBOARD_REDIRECT_ALLOWLIST", "https://app.example.com,com.example.app://"))
                .core()
                .redirectAllowlist())
        .extracting(java.net.URI::toString)
        .containsExactly("https://app.example.com", "com.example.app:/");
    assertThat(problems(Map.of("SWITCHBOARD_REDIRECT_ALLOWLIST", "javascript://")).problems())
        .anySatisfy(
            p ->
                assertThat(p)
                    .startsWith("SWITCHBOARD_REDIRECT_ALLOWLIST:")
                    .contains("never be a redirect"));
  }

  @Test
  void loadWhenAdminKeyTooShortThenProblemWithoutValue() {
    assertThat(problems(Map.of("SWITCHBOARD_ADMIN_API_KEY", "short-secret")).problems())
        .containsExactly("SWITCHBOARD_ADMIN_API_KEY: must be at least 32 characters long");
  }

  @Test
  void loadWhenJobLeaseUnsetThenFiveMinutesAndWhenSetThenUsed() {
    assertThat(load(Map.of()).core().jobLease()).isEqualTo(java.time.Duration.ofMinutes(5));
    assertThat(load(Map.of("SWITCHBOARD_JOB_LEASE", "5s")).core().jobLease())
        .isEqualTo(java.time.Duration.ofSeconds(5));
  }

  @Test
  void loadWhenJobLeaseTooShortOrMalformedThenProblem() {
    assertThat(problems(Map.of("SWITCHBOARD_JOB_LEASE", "2s")).problems())
        .containsExactly(
            "SWITCHBOARD_JOB_LEASE: must be at least 3s, so running jobs can renew their lease in time");
    assertThat(problems(Map.of("SWITCHBOARD_JOB_LEASE", "soon")).problems())
        .singleElement()
        .asString()
        .startsWith("SWITCHBOARD_JOB_LEASE: 'soon' is not a duration");
  }

  @Test
  void loadWhenKeyReloadIntervalUnsetThenAMinuteAndWhenSetThenUsed() {
    assertThat(load(Map.of()).area(AuthConfig.class).keyReload())
        .isEqualTo(java.time.Duration.ofMinutes(1));
    assertThat(
            load(Map.of("SWITCHBOARD_AUTH_KEY_RELOAD_INTERVAL", "2s"))
                .area(AuthConfig.class)
                .keyReload())
        .isEqualTo(java.time.Duration.ofSeconds(2));
  }

  @Test
  void loadWhenKeyReloadIntervalOutOfRangeThenProblem() {
    for (String value : new String[] {"500ms", "61s", "5m"}) {
      assertThat(problems(Map.of("SWITCHBOARD_AUTH_KEY_RELOAD_INTERVAL", value)).problems())
          .as(value)
          .singleElement()
          .asString()
          .startsWith("SWITCHBOARD_AUTH_KEY_RELOAD_INTERVAL: must be between 1s and 1m");
    }
  }

  @Test
  void loadWhenRefreshReuseGraceUnsetThenTenSecondsAndWhenSetThatValue() {
    assertThat(load(Map.of()).area(AuthConfig.class).refreshReuseGrace())
        .isEqualTo(java.time.Duration.ofSeconds(10));
    assertThat(
            load(Map.of("SWITCHBOARD_REFRESH_REUSE_GRACE", "3s"))
                .area(AuthConfig.class)
                .refreshReuseGrace())
        .isEqualTo(java.time.Duration.ofSeconds(3));
  }

  @Test
  void loadWhenRefreshReuseGraceOutOfRangeThenProblem() {
    for (String value : new String[] {"500ms", "61s", "5m", "soon"}) {
      assertThat(problems(Map.of("SWITCHBOARD_REFRESH_REUSE_GRACE", value)).problems())
          .as(value)
          .singleElement()
          .asString()
          .startsWith("SWITCHBOARD_REFRESH_REUSE_GRACE: ");
    }
  }

  @Test
  void loadWhenJobConcurrencyUnsetThenFourThreadsAndTenConnectionsAndWhenSetThePoolSizedForIt() {
    CoreConfig h2 = load(Map.of()).core();
    assertThat(List.of(h2.jobThreads(), h2.jobBatch(), h2.databasePoolSize()))
        .containsExactly(4, 10, 10);
    CoreConfig postgres =
        load(Map.of("DATABASE_URL", "postgresql://u:p@db.example.com:5432/app")).core();
    assertThat(List.of(postgres.jobThreads(), postgres.jobBatch(), postgres.databasePoolSize()))
        .containsExactly(4, 10, 10);
    CoreConfig set =
        load(Map.of("SWITCHBOARD_JOB_THREADS", "16", "SWITCHBOARD_JOB_BATCH", "32")).core();
    assertThat(List.of(set.jobThreads(), set.jobBatch(), set.databasePoolSize()))
        .containsExactly(16, 32, 16);
    assertThat(load(Map.of("DATABASE_POOL_SIZE", "40")).core().databasePoolSize()).isEqualTo(40);
  }

  @Test
  void loadWhenJobConcurrencyOutOfRangeThenProblemNamingTheVariable() {
    assertThat(
            problems(
                    Map.of(
                        "SWITCHBOARD_JOB_THREADS",
                        "0",
                        "SWITCHBOARD_JOB_BATCH",
                        "lots",
                        "DATABASE_POOL_SIZE",
                        "1"))
                .problems())
        .containsExactlyInAnyOrder(
            "SWITCHBOARD_JOB_THREADS: expected a whole number from 1 to 256",
            "SWITCHBOARD_JOB_BATCH: expected a whole number from 1 to 1000",
            "DATABASE_POOL_SIZE: expected a whole number from 2 to 1000");
  }

  @Test
  void loadWhenShutdownGraceUnsetThenThirtySecondsAndWhenSetThenUsed() {
    assertThat(load(Map.of()).core().shutdownGrace()).isEqualTo(java.time.Duration.ofSeconds(30));
    assertThat(load(Map.of("SWITCHBOARD_SHUTDOWN_GRACE", "2m")).core().shutdownGrace())
        .isEqualTo(java.time.Duration.ofMinutes(2));
  }

  @Test
  void loadWhenShutdownGraceTooShortOrMalformedThenProblem() {
    assertThat(problems(Map.of("SWITCHBOARD_SHUTDOWN_GRACE", "500ms")).problems())
        .containsExactly(
            "SWITCHBOARD_SHUTDOWN_GRACE: must be at least 1s, so requests already accepted can be answered");
    assertThat(problems(Map.of("SWITCHBOARD_SHUTDOWN_GRACE", "later")).problems())
        .singleElement()
        .asString()
        .startsWith("SWITCHBOARD_SHUTDOWN_GRACE: 'later' is not a duration");
  }

  @Test
  void shutdownGracePropertyWhenSetThenSpringWaitsThatLongForRequests() {
    org.springframework.core.env.StandardEnvironment environment =
        new org.springframework.core.env.StandardEnvironment();
    environment
        .getPropertySources()
        .addFirst(
            new org.springframework.core.env.MapPropertySource(
                "test", Map.of("SWITCHBOARD_SHUTDOWN_GRACE", "45s")));
    new ShutdownGraceProperty().postProcessEnvironment(environment, null);
    assertThat(environment.getProperty("spring.lifecycle.timeout-per-shutdown-phase"))
        .isEqualTo("45000ms");
    org.springframework.core.env.StandardEnvironment unset =
        new org.springframework.core.env.StandardEnvironment();
    unset.getPropertySources().remove("systemEnvironment");
    new ShutdownGraceProperty().postProcessEnvironment(unset, null);
    assertThat(unset.getProperty("spring.lifecycle.timeout-per-shutdown-phase"))
        .isEqualTo("30000ms");
  }

  @Test
  void loadWhenSingleCredentialSetThenProviderInferred() {
    assertThat(
            load(Map.of("POSTMARK_SERVER_TOKEN", "abc-123-def")).area(EmailConfig.class).provider())
        .isEqualTo("postmark");
    assertThat(
            load(Map.of(
                    "S3_BUCKET",
                    "uploads",
                    "S3_REGION",
                    "eu-west-1",
                    "AWS_ACCESS_KEY_ID",
                    "AKIA1",
                    "AWS_SECRET_ACCESS_KEY",
                    "secret-secret"))
                .area(StorageConfig.class)
                .provider())
        .isEqualTo("s3");
  }

  @Test
  void configToStringWhenSecretsSetThenNoSecretPrinted() {
    SwitchboardConfig config =
        load(
            Map.of(
                "STRIPE_SECRET_KEY",
                "sk_test_51Hsupersecretvalue1234",
                "STRIPE_WEBHOOK_SECRET",
                "whsec_abcdefghijklmnop,whsec_qrstuvwxyz012345",
                "REDIS_URL",
                "redis://:pw-secret-1@cache:6379"));
    String printed = config + " " + config.area(PaymentsConfig.class) + " " + config.core();
    assertThat(printed)
        .doesNotContain("supersecret")
        .doesNotContain("whsec_abc")
        .doesNotContain("pw-secret-1");
    assertThat(config.area(PaymentsConfig.class).stripeWebhookSecrets()).hasSize(2);
    assertThatExceptionOfType(InvalidConfigurationException.class)
        .isThrownBy(() -> load(Map.of("PORT", "99999")));
  }
}
