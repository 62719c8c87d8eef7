package dev.switchboard.monitoring;

import dev.switchboard.platform.config.Secret;
import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.platform.integrations.ArchitectureSection;
import dev.switchboard.platform.integrations.Markdown;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Chapter 8 of the architecture document: which secrets are set (masked), webhook verification,
 * rate limits.
 */
@Component
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
    secret(rows, "SWITCHBOARD_AUTH_KEY_SECRET", config.auth().keySecret().map(Secret::masked));
    secret(rows, "DATABASE_URL (password)", config.core().database().password().map(p -> "****"));
    secret(rows, "REDIS_URL", config.core().redisUrl().map(Secret::maskedUrl));
    secret(
        rows, "GOOGLE_CLIENT_SECRET", config.auth().google().map(c -> c.clientSecret().masked()));
    secret(
        rows, "GITHUB_CLIENT_SECRET", config.auth().github().map(c -> c.clientSecret().masked()));
    secret(rows, "SENDGRID_API_KEY", config.email().sendgridApiKey().map(Secret::masked));
    secret(rows, "POSTMARK_SERVER_TOKEN", config.email().postmarkServerToken().map(Secret::masked));
    secret(rows, "RESEND_API_KEY", config.email().resendApiKey().map(Secret::masked));
    secret(rows, "SMTP_URL", config.email().smtpUrl().map(Secret::maskedUrl));
    secret(rows, "STRIPE_SECRET_KEY", config.payments().stripeSecretKey().map(Secret::masked));
    secret(
        rows,
        "STRIPE_WEBHOOK_SECRET",
        config.payments().stripeWebhookSecrets().isEmpty()
            ? Optional.empty()
            : Optional.of(
                String.join(
                    ", ",
                    config.payments().stripeWebhookSecrets().stream()
                        .map(Secret::masked)
                        .toList())));
    secret(
        rows,
        "PAYPAL_CLIENT_SECRET",
        config.payments().paypal().map(p -> p.clientSecret().masked()));
    secret(rows, "AWS_SECRET_ACCESS_KEY", config.storage().secretAccessKey().map(Secret::masked));
    secret(rows, "SEGMENT_WRITE_KEY", config.analytics().segmentWriteKey().map(Secret::masked));
    secret(rows, "POSTHOG_API_KEY", config.analytics().posthogApiKey().map(Secret::masked));
    secret(rows, "SENTRY_DSN", config.errors().sentryDsn().map(Secret::maskedUrl));
    secret(
        rows, "PAGERDUTY_ROUTING_KEY", config.alerts().pagerdutyRoutingKey().map(Secret::masked));
    secret(rows, "SLACK_WEBHOOK_URL", config.alerts().slackWebhookUrl().map(Secret::maskedUrl));
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
    var email = config.email().webhooks();
    List<List<String>> rows =
        List.of(
            List.of(
                base + "/api/webhooks/stripe",
                "Stripe-Signature HMAC-SHA256, 5-minute tolerance",
                config.payments().stripeWebhookSecrets().isEmpty()
                    ? (config.core().production() ? "off" : "dev secret")
                    : "yes"),
            List.of(
                base + "/api/webhooks/paypal",
                "PayPal verify-webhook-signature API",
                config.payments().paypal().isPresent() ? "yes" : "off"),
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
            List.of("Email", config.email().rateLimit().toString(), "Queue excess"),
            List.of("Payment", config.payments().rateLimit().toString(), "Retry with backoff"),
            List.of(
                "Storage",
                config.storage().rateLimit() + " per client",
                "429 with Retry-After; client-side throttle"),
            List.of(
                "Inbound API",
                config.core().apiRateLimit() + " per client",
                "429 with Retry-After"),
            List.of(
                "Sign-in",
                config.auth().signInRateLimit() + " per address",
                "429 with Retry-After"),
            List.of(
                "Token refresh",
                config.auth().refreshRateLimit() + " per address",
                "429 with Retry-After"));
    return new Part(
        "Rate Limiting",
        "Buckets are kept "
            + store
            + ".\n\n"
            + Markdown.table(List.of("Integration", "Rate Limit", "Handling"), rows));
  }
}
