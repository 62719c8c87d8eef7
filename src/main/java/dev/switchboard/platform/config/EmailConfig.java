package dev.switchboard.platform.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Transactional email. {@code EMAIL_PROVIDER} picks the sender; when unset, the one provider whose credential is
 * set is used, and with none the dev outbox keeps mail on this machine.
 */
public record EmailConfig(
    String provider,
    Optional<Secret> sendgridApiKey,
    Optional<Secret> postmarkServerToken,
    Optional<Secret> resendApiKey,
    Optional<Secret> smtpUrl,
    String from,
    Rate rateLimit) {

  public static final List<String> PROVIDERS = List.of("sendgrid", "postmark", "resend", "smtp", "outbox");
  private static final Map<String, String> CREDENTIAL = Map.of(
      "sendgrid", "SENDGRID_API_KEY", "postmark", "POSTMARK_SERVER_TOKEN", "resend", "RESEND_API_KEY", "smtp", "SMTP_URL");

  static EmailConfig load(ConfigReader r, DeploymentMode mode) {
    Optional<Secret> sendgrid = r.secret("SENDGRID_API_KEY");
    Optional<Secret> postmark = r.secret("POSTMARK_SERVER_TOKEN");
    Optional<Secret> resend = r.secret("RESEND_API_KEY");
    Optional<Secret> smtp = r.secretUrl("SMTP_URL", List.of("smtp", "smtps"));
    List<String> withCredential = PROVIDERS.stream().filter(p -> CREDENTIAL.containsKey(p) && r.isSet(CREDENTIAL.get(p))).toList();
    String inferred = withCredential.size() == 1 ? withCredential.get(0) : "outbox";
    String provider = r.oneOf("EMAIL_PROVIDER", PROVIDERS, inferred, "provider");
    if (!r.isSet("EMAIL_PROVIDER") && withCredential.size() > 1) {
      r.problem("EMAIL_PROVIDER", "credentials for " + String.join(", ", withCredential)
          + " are set; choose one with EMAIL_PROVIDER");
    }
    String credential = CREDENTIAL.get(provider);
    if (credential != null && !r.isSet(credential)) {
      r.problem(credential, "required when EMAIL_PROVIDER=" + provider);
    }
    if (mode == DeploymentMode.PRODUCTION && provider.equals("outbox")) {
      r.problem("EMAIL_PROVIDER", "the dev outbox delivers nothing and is refused in production; set EMAIL_PROVIDER to "
          + "sendgrid, postmark, resend or smtp with its credential");
    }
    String from = r.string("EMAIL_FROM", "Switchboard <no-reply@localhost>");
    if (!from.matches("^(?:[^<>]*<)?[^@<>\\s]+@[^@<>\\s]+>?$")) {
      r.problem("EMAIL_FROM", "expected an address like no-reply@example.com or \"App <no-reply@example.com>\"");
    } else if (mode == DeploymentMode.PRODUCTION && !r.isSet("EMAIL_FROM")) {
      r.problem("EMAIL_FROM", "required in production; set the sender address your provider has verified");
    }
    Rate rate = r.rate("EMAIL_RATE_LIMIT", "100/s");
    return new EmailConfig(provider, sendgrid, postmark, resend, smtp, from, rate);
  }
}
