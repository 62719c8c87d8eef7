package dev.switchboard.monitoring;

import dev.switchboard.analytics.AnalyticsConfig;
import dev.switchboard.auth.AuthConfig;
import dev.switchboard.email.EmailConfig;
import dev.switchboard.payments.PaymentsConfig;
import dev.switchboard.platform.config.Secret;
import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.platform.integrations.ArchitectureSection;
import dev.switchboard.platform.integrations.Markdown;
import dev.switchboard.storage.StorageConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Chapter 8 of the architecture document: which secrets are set (masked), webhook verification,
 * rate limits.
 */
class SecurityArchitectureSection implements ArchitectureSection {

  private final SwitchboardConfig config;

  SecurityArchitectureSection(SwitchboardConfig config) {
    this.config = config;
  }

  @Override
  public int order() {
    return 80;
  }

  @Override
  public String chapter() {
    return "Integration Security";
  }

  @Override
  public List<Part> parts(Context context) {
    return List.of(secrets(), webhooks(), rateLimits());
  }

  private Part secrets() {
    List<List<String>> rows = new ArrayList<>();
    secret(rows, "SWITCHBOARD_ADMIN_API_KEY", config.core().adminApiKey().map(Secret::masked));
    secret(
        rows,
        "SWITCHBOARD_AUTH_KEY_SECRET",
        config.area(AuthConfig.class).keySecret().map(Secret::masked));
    secret(rows, "DATABASE_URL (password)", config.core().database().password().map(p -> "****"));
    secret(rows, "REDIS_URL", config.core().redisUrl().map(Secret::maskedUrl));
    secret(
        rows,
        "GOOGLE_CLIENT_SECRET",
        config.area(AuthConfig.class).google().map(c -> c.clientSecret().masked()));
    secret(
        rows,
        "GITHUB_CLIENT_SECRET",
        config.area(AuthConfig.class).github().map(c -> c.clientSecret().masked()));
    secret(
        rows,
        "SENDGRID_API_KEY",
        config.area(EmailConfig.class).sendgridApiKey().map(Secret::masked));
    secret(
        rows,
        "POSTMARK_SERVER_TOKEN",
        config.area(EmailConfig.class).postmarkServerToken().map(Secret::masked));
    secret(
        rows, "RESEND_API_KEY", config.area(EmailConfig.class).resendApiKey().map(Secret::masked));
    secret(rows, "SMTP_URL", config.area(EmailConfig.class).smtpUrl().map(Secret::maskedUrl));
    secret(
        rows,
        "STRIPE_SECRET_KEY",
        config.area(PaymentsConfig.class).stripeSecretKey().map(Secret::masked));
    secret(
        rows,
        "STRIPE_WEBHOOK_SECRET",
        config.area(PaymentsConfig.class).stripeWebhookSecrets().isEmpty()
            ? Optional.empty()
            : Optional.of(
                String.join(
                    ", ",
                    config.area(PaymentsConfig.class).stripeWebhookSecrets().stream()
                        .map(Secret::masked)
                        .toList())));
    secret(
        rows,
        "PAYPAL_CLIENT_SECRET",
        config.area(PaymentsConfig.class).paypal().map(p -> p.clientSecret().masked()));
    secret(
        rows,
        "AWS_SECRET_ACCESS_KEY",
        config.area(StorageConfig.class).secretAccessKey().map(Secret::masked));
    secret(
        rows,
        "SEGMENT_WRITE_KEY",
        config.area(AnalyticsConfig.class).segmentWriteKey().map(Secret::masked));
    secret(
        rows,
        "POSTHOG_API_KEY",
        config.area(AnalyticsConfig.class).posthogApiKey().map(Secret::masked));
    secret(rows, "SENTRY_DSN", config.area(ErrorsConfig.class).sentryDsn().map(Secret::maskedUrl));
    secret(
        rows,
        "PAGERDUTY_ROUTING_KEY",
        config.area(AlertsConfig.class).pagerdutyRoutingKey().map(Secret::masked));
    secret(
        rows,
        "SLACK_WEBHOOK_URL",
        config.area(AlertsConfig.class).slackWebhookUrl().map(Secret::maskedUrl));
    String body =
        "- All API keys are environment variables (or `NAME_FILE` for mounted secrets), never in code\n"
            + "- Rotate secrets quarterly: webhook secrets and auth keys accept a list during a rotation\n"
            + "- Principle of least privilege: API keys are scoped (`admin`, `email:send`, `files:write`, …)\n\n"
            + (rows.isEmpty()
                ? "No provider secret is set yet.\n"
                : Markdown.table(List.of("Secret", "Value (masked)"), rows));
    return new Part("Secrets Management", body);
  }

  private static void secret(List<List<String>> rows, String name, Optional<String> masked) {
    masked.ifPresent(m -> rows.add(List.of("`" + name + "`", m)));
  }

  private Part webhooks() {
    String base = config.core().publicUrl().toString();
    var email = config.area(EmailConfig.class).webhooks();
    List<List<String>> rows =
        List.of(
            List.of(
                base + "/api/webhooks/stripe",
                "Stripe-Signature HMAC-SHA256, 5-minute tolerance",
                config.area(PaymentsConfig.class).stripeWebhookSecrets().isEmpty()
                    ? (config.core().production() ? "off" : "dev secret")
                    : "yes"),
            List.of(
                base + "/api/webhooks/paypal",
                "PayPal verify-webhook-signature API",
                config.area(PaymentsConfig.class).paypal().isPresent() ? "yes" : "off"),
            List.of(
                base + "/api/webhooks/email/sendgrid",
                "ECDSA signed event webhook",
                email.sendgridPublicKey().isPresent() ? "yes" : "off"),
            List.of(
                base + "/api/webhooks/email/postmark",
                "Basic auth credentials",
                email.postmarkCredentials().isPresent() ? "yes" : "off"),
            List.of(
                base + "/api/webhooks/email/resend",
                "Svix signature, 5-minute tolerance",
                email.resendSecrets().isEmpty() ? "off" : "yes"));
    String body =
        "- Signatures are verified on the raw request bytes for every webhook\n"
            + "- HTTPS endpoints only"
            + (config.core().publicUrl().getScheme().equals("https")
                ? ""
                : " (this instance is on "
                    + config.core().publicUrl().getScheme()
                    + "://: development)")
            + "\n"
            + "- Replay protection: timestamp tolerance, and events stored by provider event id (duplicates ignored)\n\n"
            + Markdown.table(List.of("Endpoint", "Verification", "Configured"), rows);
    return new Part("Webhook Security", body);
  }

  private Part rateLimits() {
    String store =
        config.core().redisUrl().isPresent()
            ? "Redis: shared by every instance"
            : "in memory: per instance";
    List<List<String>> rows =
        List.of(
            List.of("Email", config.area(EmailConfig.class).rateLimit().toString(), "Queue excess"),
            List.of(
                "Payment",
                config.area(PaymentsConfig.class).rateLimit().toString(),
                "Retry with backoff"),
            List.of(
                "Storage",
                config.area(StorageConfig.class).rateLimit() + " per client",
                "429 with Retry-After; client-side throttle"),
            List.of(
                "Inbound API",
                config.core().apiRateLimit() + " per client",
                "429 with Retry-After"),
            List.of(
                "Sign-in",
                config.area(AuthConfig.class).signInRateLimit() + " per address",
                "429 with Retry-After"),
            List.of(
                "Token refresh",
                config.area(AuthConfig.class).refreshRateLimit() + " per address",
                "429 with Retry-After"));
    return new Part(
        "Rate Limiting",
        "Buckets are kept "
            + store
            + ".\n\n"
            + Markdown.table(List.of("Integration", "Rate Limit", "Handling"), rows));
  }
}
