package dev.switchboard.platform.readiness;

import dev.switchboard.analytics.AnalyticsConfig;
import dev.switchboard.auth.OAuthClientConfig;
import dev.switchboard.monitoring.AlertsConfig;
import dev.switchboard.platform.apikeys.DevApiKey;
import dev.switchboard.platform.config.ConfigFinding;
import dev.switchboard.platform.config.ConfigFinding.Kind;
import dev.switchboard.platform.config.CoreConfig;
import dev.switchboard.platform.config.DatabaseConfig;
import dev.switchboard.platform.config.KnownVariables;
import dev.switchboard.platform.config.ProductionSafety;
import dev.switchboard.platform.config.SwitchboardConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What runs where, and what is not ready for production yet, from the configuration alone: the
 * table of {@code switchboard status} and the readiness checklist on the dashboard's map. The same
 * findings are logged at startup (see {@link StartupReadiness}).
 */
public final class Readiness {

  private final SwitchboardConfig config;
  private final Collection<String> setVariables;

  /**
   * @param setVariables names of the environment variables that are set, to find misspelled ones
   */
  public Readiness(SwitchboardConfig config, Collection<String> setVariables) {
    this.config = config;
    this.setVariables = List.copyOf(setVariables);
  }

  public SwitchboardConfig config() {
    return config;
  }

  /**
   * Every integration with its provider, mode and what to set to make it live, in the map's order.
   */
  public List<IntegrationStatus> integrations() {
    CoreConfig core = config.core();
    boolean production = core.production();
    List<IntegrationStatus> rows = new ArrayList<>();
    boolean h2 = core.database().kind() == DatabaseConfig.Kind.H2;
    rows.add(
        h2
            ? row("database", "h2", "embedded", "DATABASE_URL=postgresql://user:pass@host:5432/db")
            : row("database", "postgresql", "live", ""));
    rows.add(
        core.redisUrl().isEmpty()
            ? row(
                "rate limits",
                "in-memory",
                "embedded",
                "REDIS_URL=redis://host:6379 (shared by every instance)")
            : row("rate limits", "redis", "live", ""));
    rows.add(oauth("google", "GOOGLE", config.auth().google()));
    rows.add(oauth("github", "GITHUB", config.auth().github()));
    String email = config.email().provider();
    rows.add(
        email.equals("outbox")
            ? row(
                "email",
                "outbox",
                "dev",
                "EMAIL_PROVIDER + SENDGRID_API_KEY | POSTMARK_SERVER_TOKEN | RESEND_API_KEY | SMTP_URL")
            : row("email", email, "live", ""));
    rows.add(
        config
            .payments()
            .stripeSecretKey()
            .map(
                k ->
                    k.reveal().contains("_live_")
                        ? row("payments.stripe", "stripe", "live", "")
                        : row(
                            "payments.stripe",
                            "stripe",
                            "test",
                            "STRIPE_SECRET_KEY=sk_live_… (and its live webhook secret)"))
            .orElse(
                row(
                    "payments.stripe",
                    production ? "none" : "dev checkout",
                    production ? "off" : "dev",
                    "STRIPE_SECRET_KEY + STRIPE_WEBHOOK_SECRET")));
    rows.add(
        config
            .payments()
            .paypal()
            .map(
                p ->
                    p.mode().equals("live")
                        ? row("payments.paypal", "paypal", "live", "")
                        : row(
                            "payments.paypal",
                            "paypal",
                            "test",
                            "PAYPAL_MODE=live with live credentials"))
            .orElse(
                row(
                    "payments.paypal",
                    "none",
                    "off",
                    "PAYPAL_CLIENT_ID + PAYPAL_CLIENT_SECRET + PAYPAL_WEBHOOK_ID")));
    String storage = config.storage().provider();
    rows.add(
        storage.equals("local")
            ? row(
                "storage",
                "local",
                "embedded",
                "STORAGE_PROVIDER=s3|r2 + S3_BUCKET + AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY")
            : row("storage", storage, "live", ""));
    AnalyticsConfig analytics = config.analytics();
    List<String> forwards = new ArrayList<>();
    analytics.segmentWriteKey().ifPresent(k -> forwards.add("segment"));
    analytics.posthogApiKey().ifPresent(k -> forwards.add("posthog"));
    rows.add(
        forwards.isEmpty()
            ? row(
                "analytics",
                "local",
                "embedded",
                "SEGMENT_WRITE_KEY or POSTHOG_API_KEY (to forward)")
            : row("analytics", "local + " + String.join(" + ", forwards), "live", ""));
    rows.add(
        config.errors().sentryDsn().isEmpty()
            ? row("errors", "local table", "embedded", "SENTRY_DSN")
            : row("errors", "sentry", "live", ""));
    AlertsConfig alerts = config.alerts();
    List<String> channels = new ArrayList<>();
    alerts.pagerdutyRoutingKey().ifPresent(k -> channels.add("pagerduty"));
    alerts.slackWebhookUrl().ifPresent(k -> channels.add("slack"));
    if (!alerts.emailTo().isEmpty()) {
      channels.add("email");
    }
    rows.add(
        channels.isEmpty()
            ? row(
                "alerts",
                "dashboard + outbox",
                "dev",
                "PAGERDUTY_ROUTING_KEY, SLACK_WEBHOOK_URL, ALERT_EMAIL_TO")
            : row("alerts", String.join(" + ", channels), "live", ""));
    return rows;
  }

  /**
   * The production readiness checklist: unsafe settings first (refused, then warnings), misspelled
   * variables, missing settings, dev stand-ins, then embedded single-box defaults.
   */
  public List<ConfigFinding> checklist() {
    CoreConfig core = config.core();
    List<ConfigFinding> items = new ArrayList<>(ProductionSafety.findings(config));
    KnownVariables.unknown(setVariables)
        .forEach(
            w ->
                items.add(
                    new ConfigFinding(
                        Kind.UNKNOWN_VARIABLE,
                        w.substring(0, w.indexOf(' ')),
                        w.substring(w.indexOf(' ') + 1))));
    if (core.production() && core.adminApiKey().isEmpty()) {
      items.add(
          new ConfigFinding(
              Kind.MISSING,
              "SWITCHBOARD_ADMIN_API_KEY",
              "no admin key is set and production "
                  + "generates none; set it, or create one with `java -jar switchboard.jar keys create --name admin --scopes admin`"));
    }
    if (config.email().from().endsWith("@localhost>")
        || config.email().from().endsWith("@localhost")) {
      items.add(
          new ConfigFinding(
              Kind.DEV_DEFAULT,
              "EMAIL_FROM",
              "mail is sent from "
                  + config.email().from()
                  + "; set the sender address your provider has verified"));
    }
    for (IntegrationStatus row : integrations()) {
      String variable = row.toGoLive().split("[ =,]")[0];
      switch (row.mode()) {
        case "dev" ->
            items.add(
                new ConfigFinding(
                    Kind.DEV_DEFAULT,
                    variable,
                    row.integration()
                        + " runs on the "
                        + row.provider()
                        + ", which delivers nothing real; set "
                        + row.toGoLive()));
        // PayPal and an OAuth provider left out are choices; payments with no provider at all are
        // worth a line.
        case "off" -> {
          if (row.integration().equals("payments.stripe") && config.payments().paypal().isEmpty()) {
            items.add(
                new ConfigFinding(
                    Kind.MISSING,
                    variable,
                    "payments are off; set " + row.toGoLive() + " to use them"));
          }
        }
        case "embedded" -> items.add(new ConfigFinding(Kind.EMBEDDED, variable, embedded(row)));
        default -> {}
      }
    }
    if (config.auth().keySecret().isEmpty()) {
      items.add(
          new ConfigFinding(
              Kind.EMBEDDED,
              "SWITCHBOARD_AUTH_KEY_SECRET",
              "generated once in "
                  + core.dataDir().resolve("auth-key-secret")
                  + "; every instance sharing a database needs the same value, "
                  + "so set it before adding a second instance"));
    }
    items.sort(Comparator.comparing(ConfigFinding::kind));
    return items;
  }

  /** What a single box means for each embedded default. */
  private String embedded(IntegrationStatus row) {
    Path data = config.core().dataDir();
    return switch (row.integration()) {
      case "database" ->
          "H2 file database in "
              + data.resolve("db")
              + ": one instance only (one process holds the "
              + "file); back up "
              + data
              + " (stop the server or copy while idle), or set "
              + row.toGoLive();
      case "storage" ->
          "uploads are files under "
              + data.resolve("storage")
              + " on this disk: one instance only; "
              + "back up "
              + data
              + ", or set "
              + row.toGoLive();
      case "rate limits" ->
          "limits are counted per instance; fine on one box, set "
              + row.toGoLive()
              + " before running several";
      case "errors" ->
          "errors are grouped in the database and shown on the dashboard; set SENTRY_DSN to send them to Sentry";
      case "analytics" -> "events are stored in the database only; set " + row.toGoLive();
      default -> row.integration() + " runs embedded; set " + row.toGoLive();
    };
  }

  /** Where the admin key that opens the dashboard is, for the status table. */
  public String adminKeyLocation() {
    CoreConfig core = config.core();
    if (core.adminApiKey().isPresent()) {
      return "SWITCHBOARD_ADMIN_API_KEY (" + core.adminApiKey().get().masked() + ")";
    }
    Path file = core.dataDir().resolve(DevApiKey.FILE_NAME);
    if (core.production()) {
      return "none: production generates no key; set SWITCHBOARD_ADMIN_API_KEY or run `keys create`";
    }
    return java.nio.file.Files.isRegularFile(file)
        ? file + " (cat it to sign in)"
        : file + " (written on the first start)";
  }

  public String dashboardUrl() {
    return config.core().publicUrl() + "/admin";
  }

  private static IntegrationStatus oauthRow(
      String id, String provider, String mode, String toGoLive) {
    return row("auth." + id, provider, mode, toGoLive);
  }

  private IntegrationStatus oauth(String id, String prefix, Optional<OAuthClientConfig> client) {
    if (!config.auth().oauthProviders().contains(id)) {
      return oauthRow(id, "off", "off", "AUTH_OAUTH_PROVIDERS including " + id);
    }
    return client.isPresent()
        ? oauthRow(id, id, "live", "")
        : oauthRow(
            id,
            "dev identity provider",
            "dev",
            prefix + "_CLIENT_ID + " + prefix + "_CLIENT_SECRET");
  }

  private static IntegrationStatus row(
      String integration, String provider, String mode, String toGoLive) {
    return new IntegrationStatus(integration, provider, mode, toGoLive);
  }
}
