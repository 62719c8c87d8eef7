package dev.switchboard.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.platform.config.SwitchboardConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArchitectureDocumentTest {

  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-05T00:00:00Z"), ZoneOffset.UTC);

  static final List<String> CHAPTERS =
      List.of(
          "## 1. Overview",
          "## 2. Authentication Integrations",
          "## 3. Email Service Integration",
          "## 4. Payment Integration",
          "## 5. File Storage Integration",
          "## 6. Analytics Integration",
          "## 7. Error Monitoring",
          "## 8. Integration Security",
          "## 9. Monitoring & Alerts");

  /** Every secret of {@link #everyProvider()}: none may appear in the document. */
  static final List<String> SECRETS =
      List.of(
          "sk_live_51HxSecretStripeKeyValue9876",
          "whsec_SigningSecretValueAbcdEfgh12345678",
          "google-client-secret-value-123456",
          "github-client-secret-value-654321",
          "SG.sendgridSecretKeyValue.abcdefgh5555",
          "pg-db-password-77",
          "redis-password-88",
          "Q2xpZW50U2VjcmV0UGF5UGFsMTIzNDU2",
          "awsSecretAccessKeyValue0123456789abcd",
          "segment-write-key-value-000111",
          "phc_posthogApiKeyValue000222333",
          "sentrypublickey0123456789abcdef",
          "0123456789abcdefABCDEF0123456789",
          "T000/B000/slackwebhooksecretpath",
          "Xq3vR8tLm2Pz7KwN9bYc4HdJ6fGs1AeUa",
          "Mk2Lp9Qr4St7Uv1Wx5Yz8Ab3Cd6Ef0Gh",
          "analytics-write-key-secret-999",
          "postmark:webhook-pass-123");

  static Map<String, String> everyProvider() {
    Map<String, String> env = new HashMap<>();
    env.put("SWITCHBOARD_ENV", "production");
    env.put("SWITCHBOARD_PUBLIC_URL", "https://api.example.com");
    env.put("DATABASE_URL", "postgresql://app:pg-db-password-77@db.internal:5432/app");
    env.put("REDIS_URL", "redis://:redis-password-88@cache.internal:6379");
    env.put("SWITCHBOARD_ADMIN_API_KEY", "sk_Xq3vR8tLm2Pz7KwN9bYc4HdJ6fGs1AeUa");
    env.put("SWITCHBOARD_AUTH_KEY_SECRET", "Mk2Lp9Qr4St7Uv1Wx5Yz8Ab3Cd6Ef0Gh");
    env.put("SWITCHBOARD_REDIRECT_ALLOWLIST", "https://app.example.com");
    env.put("GOOGLE_CLIENT_ID", "1234-google.apps.googleusercontent.com");
    env.put("GOOGLE_CLIENT_SECRET", "google-client-secret-value-123456");
    env.put("GITHUB_CLIENT_ID", "Iv1.github0client");
    env.put("GITHUB_CLIENT_SECRET", "github-client-secret-value-654321");
    env.put("EMAIL_PROVIDER", "sendgrid");
    env.put("SENDGRID_API_KEY", "SG.sendgridSecretKeyValue.abcdefgh5555");
    env.put("POSTMARK_WEBHOOK_CREDENTIALS", "postmark:webhook-pass-123");
    env.put("EMAIL_FROM", "App <no-reply@example.com>");
    env.put("STRIPE_SECRET_KEY", "sk_live_51HxSecretStripeKeyValue9876");
    env.put("STRIPE_WEBHOOK_SECRET", "whsec_SigningSecretValueAbcdEfgh12345678");
    env.put("STRIPE_PUBLISHABLE_KEY", "pk_live_publishable123");
    env.put("STRIPE_API_VERSION", "2025-09-30.clover");
    env.put("PAYMENT_PLANS", "pro=price_pro123,team=price_team456");
    env.put("PAYPAL_CLIENT_ID", "paypal-client-id");
    env.put("PAYPAL_CLIENT_SECRET", "Q2xpZW50U2VjcmV0UGF5UGFsMTIzNDU2");
    env.put("PAYPAL_WEBHOOK_ID", "WH-123");
    env.put("PAYPAL_MODE", "live");
    env.put("STORAGE_PROVIDER", "s3");
    env.put("S3_BUCKET", "app-uploads");
    env.put("S3_REGION", "eu-west-1");
    env.put("AWS_ACCESS_KEY_ID", "AKIAEXAMPLEKEY123456");
    env.put("AWS_SECRET_ACCESS_KEY", "awsSecretAccessKeyValue0123456789abcd");
    env.put("STORAGE_POLICY", "image/*:5MB,application/pdf:10MB,video/mp4:100MB");
    env.put("ANALYTICS_KEY", "analytics-write-key-secret-999");
    env.put("SEGMENT_WRITE_KEY", "segment-write-key-value-000111");
    env.put("POSTHOG_API_KEY", "phc_posthogApiKeyValue000222333");
    env.put("SENTRY_DSN", "https://sentrypublickey0123456789abcdef@o1.ingest.sentry.io/42");
    env.put("SENTRY_TRACES_SAMPLE_RATE", "0.25");
    env.put("PAGERDUTY_ROUTING_KEY", "0123456789abcdefABCDEF0123456789");
    env.put(
        "SLACK_WEBHOOK_URL", "https://hooks.slack.com/services/T000/B000/slackwebhooksecretpath");
    env.put("ALERT_EMAIL_TO", "oncall@example.com");
    return env;
  }

  static String document(Map<String, String> env) {
    return ArchitectureCli.document(SwitchboardConfig.load(env::get), CLOCK);
  }

  @Test
  void documentWhenDevConfigurationThenEverySectionWithDevDefaultsAndWhatToSet() {
    String doc = document(Map.of());

    assertThat(doc)
        .startsWith("# Switchboard - Integration Architecture")
        .contains("**Last Updated:** 2026-12-05");
    assertChaptersInOrder(doc);
    assertThat(doc)
        .contains(
            "### 9.1 Health Checks",
            "### 9.2 Alerts",
            "### 2.1 Google OAuth",
            "### 2.2 GitHub OAuth")
        .contains(
            "| auth.google | dev identity provider | dev | `GOOGLE_CLIENT_ID + GOOGLE_CLIENT_SECRET` |")
        .contains(
            "| database | h2 | embedded | `DATABASE_URL=postgresql://user:pass@host:5432/db` |")
        .contains(
            "http://localhost:8080/api/auth/callback/google",
            "openid, email, profile",
            "read:user, user:email")
        .contains(
            "Dev outbox",
            "| welcome | Sent after sign-up so the user can confirm their address. | name, verifyUrl |")
        .contains("| payment-failed |", "name, amount, invoiceUrl")
        .contains(
            "Dev checkout",
            "http://localhost:8080/api/webhooks/stripe",
            "| invoice.payment_failed |")
        .contains("| image/* | 5MB |", "| application/pdf | 10MB |")
        .contains(
            "| signed_up | method | Registration complete (captured automatically) |",
            "| page_viewed | path, title | Page load (from the app) |")
        .contains("Local Error Table", "SENTRY_TRACES_SAMPLE_RATE=0.1")
        .contains("| Email | 100/s | Queue excess |", "| Payment | 25/s | Retry with backoff |")
        .contains(
            "| database | SELECT 1 (H2) | 30s |",
            "| auth.google | dev identity provider (local) | 5m |")
        .contains("Page on-call: dashboard + dev outbox until `PAGERDUTY_ROUTING_KEY` is set")
        .contains(
            "| dev default | `PAGERDUTY_ROUTING_KEY` |",
            "| dev default | `EMAIL_PROVIDER` |",
            "| embedded | `DATABASE_URL` |");
  }

  @Test
  void documentWhenEveryProviderSetThenProvidersShownAndNoSecretInIt() {
    String doc = document(everyProvider());

    assertChaptersInOrder(doc);
    assertThat(doc)
        .contains(
            "https://api.example.com/api/auth/callback/github",
            "Client ID | 1234-google.apps.googleusercontent.com")
        .contains(
            "| Provider | SendGrid |",
            "https://api.example.com/api/webhooks/email/sendgrid (not configured)")
        .contains(
            "| API Version | 2025-09-30.clover |",
            "| Mode | Live |",
            "pro=price_pro123,team=price_team456")
        .contains(
            "BILLING.SUBSCRIPTION.ACTIVATED", "| Bucket | app-uploads |", "| Region | eu-west-1 |")
        .contains(
            "| video/mp4 | 100MB |", "Segment (`SEGMENT_WRITE_KEY`", "PostHog (`POSTHOG_API_KEY`")
        .contains(
            "| Provider | Sentry |",
            "SENTRY_TRACES_SAMPLE_RATE=0.25",
            "SENTRY_DSN=https://****@o1.ingest.sentry.io/…")
        .contains(
            "| database | SELECT 1 (PostgreSQL) | 30s |",
            "| redis | PING | 30s |",
            "| email | GET /v3/scopes | 5m |")
        .contains("| Critical | Page on-call (PagerDuty) |", "Email warning to oncall@example.com")
        .contains(
            "sk_live_…9876", "whsec_…5678", "Buckets are kept Redis: shared by every instance")
        .doesNotContain("| dev default |")
        .doesNotContain("| embedded |");
    for (String secret : SECRETS) {
      assertThat(doc).as("a secret value leaked").doesNotContain(secret);
    }
  }

  @Test
  void documentWhenConfigurationChangesThenDocumentChanges() {
    Map<String, String> env = everyProvider();
    String before = document(env);
    env.put("EMAIL_RATE_LIMIT", "40/s");
    env.put("STRIPE_SECRET_KEY", "sk_test_51HxSecretStripeKeyValue1111");
    env.put("SWITCHBOARD_HEALTH_INTERVAL", "10s");
    String after = document(env);

    assertThat(after)
        .isNotEqualTo(before)
        .contains(
            "| Email | 40/s | Queue excess |",
            "| Mode | Test |",
            "| database | SELECT 1 (PostgreSQL) | 10s |")
        .contains("| warning | `STRIPE_SECRET_KEY` |")
        .doesNotContain("sk_test_51HxSecretStripeKeyValue1111");
    assertThat(before).doesNotContain("40/s");
  }

  @Test
  void runWhenArgumentsOrInvalidConfigurationThenUsageOrProblemsAndExitStatus() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    assertThat(
            ArchitectureCli.run(
                new String[] {"extra"}, Map.<String, String>of()::get, print(out), print(err)))
        .isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("architecture takes no arguments");
    assertThat(
            ArchitectureCli.run(
                new String[0], Map.of("EMAIL_PROVIDER", "sendgird")::get, print(out), print(err)))
        .isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("EMAIL_PROVIDER: unknown provider 'sendgird'");
    assertThat(out.size()).isZero();
    assertThat(
            ArchitectureCli.run(
                new String[0], Map.<String, String>of()::get, print(out), print(err)))
        .isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("## 9. Monitoring & Alerts");
  }

  private static PrintStream print(ByteArrayOutputStream bytes) {
    return new PrintStream(bytes, true, StandardCharsets.UTF_8);
  }

  private static void assertChaptersInOrder(String doc) {
    int at = -1;
    for (String chapter : CHAPTERS) {
      int next = doc.indexOf(chapter + "\n");
      assertThat(next).as(chapter).isGreaterThan(at);
      at = next;
    }
  }
}
