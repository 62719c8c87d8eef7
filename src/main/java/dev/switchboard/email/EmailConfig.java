package dev.switchboard.email;

import dev.switchboard.platform.config.ConfigArea;
import dev.switchboard.platform.config.ConfigFinding;
import dev.switchboard.platform.config.ConfigReader;
import dev.switchboard.platform.config.CoreConfig;
import dev.switchboard.platform.config.DeploymentMode;
import dev.switchboard.platform.config.IntegrationStatus;
import dev.switchboard.platform.config.ProductionSafety;
import dev.switchboard.platform.config.Rate;
import dev.switchboard.platform.config.Secret;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Transactional email. {@code EMAIL_PROVIDER} picks the sender; when unset, the one provider whose
 * credential is set is used, and with none the dev outbox keeps mail on this machine.
 */
public record EmailConfig(
    String provider,
    Optional<Secret> sendgridApiKey,
    Optional<Secret> postmarkServerToken,
    Optional<Secret> resendApiKey,
    Optional<Secret> smtpUrl,
    String from,
    Rate rateLimit,
    Optional<String> fallbackProvider,
    Optional<Path> templatesDir,
    Endpoints endpoints,
    Webhooks webhooks) {

  /** Provider API base URLs; overridable so tests (and proxies) can stand in for the providers. */
  public record Endpoints(URI sendgrid, URI postmark, URI resend) {}

  /**
   * Delivery-event webhook verification settings.
   *
   * @param sendgridPublicKey SendGrid's signed event webhook verification key (base64 DER, as
   *     SendGrid shows it)
   * @param postmarkCredentials {@code user:password} that Postmark sends as Basic auth (put them in
   *     the webhook URL)
   * @param resendSecrets Resend (Svix) signing secrets {@code whsec_…}; several during a rotation
   */
  public record Webhooks(
      Optional<Secret> sendgridPublicKey,
      Optional<Secret> postmarkCredentials,
      List<Secret> resendSecrets) {}

  public static final List<String> PROVIDERS =
      List.of("sendgrid", "postmark", "resend", "smtp", "outbox");
  private static final Map<String, String> CREDENTIAL =
      Map.of(
          "sendgrid",
          "SENDGRID_API_KEY",
          "postmark",
          "POSTMARK_SERVER_TOKEN",
          "resend",
          "RESEND_API_KEY",
          "smtp",
          "SMTP_URL");

  public static EmailConfig load(ConfigReader r, DeploymentMode mode) {
    Optional<Secret> sendgrid = r.secret("SENDGRID_API_KEY");
    Optional<Secret> postmark = r.secret("POSTMARK_SERVER_TOKEN");
    Optional<Secret> resend = r.secret("RESEND_API_KEY");
    Optional<Secret> smtp = r.secretUrl("SMTP_URL", List.of("smtp", "smtps"));
    List<String> withCredential =
        PROVIDERS.stream()
            .filter(p -> CREDENTIAL.containsKey(p) && r.isSet(CREDENTIAL.get(p)))
            .toList();
    String inferred = withCredential.size() == 1 ? withCredential.get(0) : "outbox";
    String provider = r.oneOf("EMAIL_PROVIDER", PROVIDERS, inferred, "provider");
    if (!r.isSet("EMAIL_PROVIDER") && withCredential.size() > 1) {
      r.problem(
          "EMAIL_PROVIDER",
          "credentials for "
              + String.join(", ", withCredential)
              + " are set; choose one with EMAIL_PROVIDER");
    }
    String credential = CREDENTIAL.get(provider);
    if (credential != null && !r.isSet(credential)) {
      r.problem(credential, "required when EMAIL_PROVIDER=" + provider);
    }
    if (mode == DeploymentMode.PRODUCTION && provider.equals("outbox")) {
      r.problem(
          "EMAIL_PROVIDER",
          "the dev outbox delivers nothing and is refused in production; set EMAIL_PROVIDER to "
              + "sendgrid, postmark, resend or smtp with its credential");
    }
    String from = r.string("EMAIL_FROM", "Switchboard <no-reply@localhost>");
    if (!from.matches("^(?:[^<>]*<)?[^@<>\\s]+@[^@<>\\s]+>?$")) {
      r.problem(
          "EMAIL_FROM",
          "expected an address like no-reply@example.com or \"App <no-reply@example.com>\"");
    } else if (mode == DeploymentMode.PRODUCTION && !r.isSet("EMAIL_FROM")) {
      r.problem(
          "EMAIL_FROM",
          "required in production; set the sender address your provider has verified");
    }
    Rate rate = r.rate("EMAIL_RATE_LIMIT", "100/s");
    List<String> fallbacks = PROVIDERS.stream().filter(p -> !p.equals("outbox")).toList();
    Optional<String> fallback =
        r.isSet("EMAIL_FALLBACK_PROVIDER")
            ? Optional.of(r.oneOf("EMAIL_FALLBACK_PROVIDER", fallbacks, "", "provider"))
                .filter(f -> !f.isEmpty())
            : Optional.empty();
    fallback.ifPresent(
        f -> {
          if (f.equals(provider)) {
            r.problem(
                "EMAIL_FALLBACK_PROVIDER", "must differ from EMAIL_PROVIDER (" + provider + ")");
          } else if (!r.isSet(CREDENTIAL.get(f))) {
            r.problem(CREDENTIAL.get(f), "required when EMAIL_FALLBACK_PROVIDER=" + f);
          }
        });
    Optional<Path> templates = r.string("EMAIL_TEMPLATES_DIR").map(Path::of);
    Endpoints endpoints =
        new Endpoints(
            r.url("SENDGRID_API_URL", List.of("http", "https"))
                .orElse(URI.create("https://api.sendgrid.com")),
            r.url("POSTMARK_API_URL", List.of("http", "https"))
                .orElse(URI.create("https://api.postmarkapp.com")),
            r.url("RESEND_API_URL", List.of("http", "https"))
                .orElse(URI.create("https://api.resend.com")));
    Optional<Secret> postmarkHook = r.secret("POSTMARK_WEBHOOK_CREDENTIALS");
    postmarkHook.ifPresent(
        c -> {
          if (!c.reveal().matches("^[^:\\s]+:\\S{8,}$")) {
            r.problem(
                "POSTMARK_WEBHOOK_CREDENTIALS",
                "expected user:password with a password of at least 8 characters");
          }
        });
    List<Secret> resendHooks = r.list("RESEND_WEBHOOK_SECRET").stream().map(Secret::of).toList();
    if (resendHooks.isEmpty() && r.isSet("RESEND_WEBHOOK_SECRET")) {
      r.problem("RESEND_WEBHOOK_SECRET", "set but holds no secret (comma-separate whsec_ secrets)");
    } else if (resendHooks.stream().anyMatch(h -> !h.reveal().startsWith("whsec_"))) {
      r.problem(
          "RESEND_WEBHOOK_SECRET",
          "every secret must start with whsec_ (comma-separate several for rotation)");
    }
    Webhooks webhooks =
        new Webhooks(r.secret("SENDGRID_WEBHOOK_PUBLIC_KEY"), postmarkHook, resendHooks);
    return new EmailConfig(
        provider, sendgrid, postmark, resend, smtp, from, rate, fallback, templates, endpoints,
        webhooks);
  }

  /** Registers the email area with the platform's configuration reader. */
  public static final class Area implements ConfigArea<EmailConfig> {

    @Override
    public Class<EmailConfig> type() {
      return EmailConfig.class;
    }

    @Override
    public List<String> variables() {
      return List.of(
          "EMAIL_PROVIDER",
          "SENDGRID_API_KEY",
          "POSTMARK_SERVER_TOKEN",
          "RESEND_API_KEY",
          "SMTP_URL",
          "EMAIL_FROM",
          "EMAIL_RATE_LIMIT",
          "EMAIL_FALLBACK_PROVIDER",
          "EMAIL_TEMPLATES_DIR",
          "SENDGRID_API_URL",
          "POSTMARK_API_URL",
          "RESEND_API_URL",
          "SENDGRID_WEBHOOK_PUBLIC_KEY",
          "POSTMARK_WEBHOOK_CREDENTIALS",
          "RESEND_WEBHOOK_SECRET");
    }

    @Override
    public List<String> prefixes() {
      return List.of("EMAIL_", "SENDGRID_", "POSTMARK_", "RESEND_", "SMTP_");
    }

    @Override
    public EmailConfig load(ConfigReader reader, CoreConfig core) {
      return EmailConfig.load(reader, core.mode());
    }

    @Override
    public List<ConfigFinding> findings(EmailConfig config, CoreConfig core) {
      List<ConfigFinding> out = new ArrayList<>();
      config
          .smtpUrl()
          .flatMap(Area::plainSmtp)
          .ifPresent(
              host ->
                  out.add(
                      ProductionSafety.warning(
                          "SMTP_URL",
                          "smtp:// without credentials to "
                              + host
                              + " uses TLS only when the server offers STARTTLS, so mail can "
                              + "cross the network unencrypted; use smtps:// (port 465) or an authenticated smtp:// (STARTTLS required)")));
      if (config.from().endsWith("@localhost>") || config.from().endsWith("@localhost")) {
        out.add(
            new ConfigFinding(
                ConfigFinding.Kind.DEV_DEFAULT,
                "EMAIL_FROM",
                "mail is sent from "
                    + config.from()
                    + "; set the sender address your provider has verified"));
      }
      return out;
    }

    @Override
    public List<IntegrationStatus> integrations(EmailConfig config, CoreConfig core) {
      return List.of(
          config.provider().equals("outbox")
              ? new IntegrationStatus(
                  "email",
                  "outbox",
                  "dev",
                  "EMAIL_PROVIDER + SENDGRID_API_KEY | POSTMARK_SERVER_TOKEN | RESEND_API_KEY | SMTP_URL")
              : new IntegrationStatus("email", config.provider(), "live", ""));
    }

    /**
     * The host of an {@code smtp://} URL without credentials to another machine: STARTTLS is then
     * only opportunistic.
     */
    private static Optional<String> plainSmtp(Secret url) {
      try {
        URI uri = new URI(url.reveal());
        boolean plain =
            "smtp".equalsIgnoreCase(uri.getScheme())
                && uri.getRawUserInfo() == null
                && !ProductionSafety.loopback(uri);
        return plain ? Optional.of(uri.getHost()) : Optional.empty();
      } catch (URISyntaxException e) {
        return Optional.empty();
      }
    }
  }
}
