package dev.switchboard.email;

import dev.switchboard.email.outbox.OutboxMailSender;
import dev.switchboard.email.postmark.PostmarkMailSender;
import dev.switchboard.email.resend.ResendMailSender;
import dev.switchboard.email.sendgrid.SendGridMailSender;
import dev.switchboard.email.smtp.SmtpMailSender;
import dev.switchboard.platform.config.Secret;
import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.platform.db.GroupCommits;
import dev.switchboard.platform.http.BodySizeLimit;
import dev.switchboard.platform.integrations.Integration;
import dev.switchboard.platform.jobs.JobQueue;
import dev.switchboard.platform.json.Json;
import dev.switchboard.platform.outbound.OutboundHttp;
import dev.switchboard.platform.ratelimit.RateLimiter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The email area: picks the provider (and fallback) from {@code EMAIL_PROVIDER}, and wires the
 * queue and store.
 */
@Import({DeliveryEventJob.class, JdbcEmailStore.class, EmailArchitectureSection.class})
@Configuration(proxyBeanMethods = false)
public class EmailConfiguration {

  /** 10,000 recipients with a few variables each fit comfortably; the default 1 MiB does not. */
  public static final long BULK_MAX_BYTES = 16L * 1024 * 1024;

  static final Duration HEALTH_INTERVAL = Duration.ofMinutes(5);

  /** The one place a provider id becomes a sender; an unknown id is a startup error. */
  static MailSender sender(String provider, EmailConfig email, OutboundHttp http) {
    return switch (provider) {
      case OutboxMailSender.ID -> new OutboxMailSender();
      case "sendgrid" ->
          new SendGridMailSender(
              email.sendgridApiKey().orElseThrow(), email.endpoints().sendgrid(), http);
      case "postmark" ->
          new PostmarkMailSender(
              email.postmarkServerToken().orElseThrow(), email.endpoints().postmark(), http);
      case "resend" ->
          new ResendMailSender(
              email.resendApiKey().orElseThrow(), email.endpoints().resend(), http);
      case "smtp" -> new SmtpMailSender(email.smtpUrl().orElseThrow());
      default -> throw new IllegalStateException("unknown email provider '" + provider + "'");
    };
  }

  @Bean
  EmailSenders emailSenders(SwitchboardConfig config, OutboundHttp http, Clock clock) {
    EmailConfig email = config.area(EmailConfig.class);
    return new EmailSenders(
        sender(email.provider(), email, http),
        email.fallbackProvider().map(f -> sender(f, email, http)),
        new SenderCircuit(clock, SenderCircuit.DEFAULT_THRESHOLD, SenderCircuit.DEFAULT_OPEN_FOR));
  }

  @Bean
  EmailTemplates emailTemplates(SwitchboardConfig config) {
    return new EmailTemplates(
        Optional.of(
            config
                .area(EmailConfig.class)
                .templatesDir()
                .orElse(config.core().dataDir().resolve("email-templates"))));
  }

  @Bean
  EmailMetrics emailMetrics(ObjectProvider<MeterRegistry> meters, EmailStore store) {
    return new EmailMetrics(meters.getIfAvailable(), store);
  }

  @Bean
  EmailService emailService(
      EmailTemplates templates,
      EmailStore store,
      JobQueue jobs,
      PlatformTransactionManager transactions,
      GroupCommits commits,
      Clock clock,
      EmailSenders senders) {
    return new EmailService(
        templates,
        store,
        jobs,
        new TransactionTemplate(transactions),
        commits,
        clock,
        senders.primary().id());
  }

  @Bean
  EmailSendJob emailSendJob(
      EmailStore store,
      EmailSenders senders,
      RateLimiter limiter,
      SwitchboardConfig config,
      EmailMetrics metrics,
      Clock clock,
      ObjectProvider<JsonMapper> json) {
    String host = Optional.ofNullable(config.core().publicUrl().getHost()).orElse("switchboard");
    return new EmailSendJob(
        store,
        senders,
        limiter,
        config.area(EmailConfig.class).rateLimit(),
        config.area(EmailConfig.class).from(),
        host,
        metrics,
        clock,
        json.getIfAvailable(() -> Json.MAPPER));
  }

  @Bean
  BodySizeLimit.Rule emailBulkBodyLimit() {
    return new BodySizeLimit.Rule("/api/email/bulk", BULK_MAX_BYTES);
  }

  @Bean
  Integration emailIntegration(
      SwitchboardConfig config, EmailSenders senders, EmailStore store, EmailMetrics metrics) {
    EmailConfig email = config.area(EmailConfig.class);
    String provider = senders.primary().id();
    boolean outbox = OutboxMailSender.ID.equals(provider);
    Map<String, String> shown = new LinkedHashMap<>();
    shown.put("EMAIL_PROVIDER", provider);
    shown.put("EMAIL_FROM", email.from());
    email.sendgridApiKey().ifPresent(s -> shown.put("SENDGRID_API_KEY", s.masked()));
    email.postmarkServerToken().ifPresent(s -> shown.put("POSTMARK_SERVER_TOKEN", s.masked()));
    email.resendApiKey().ifPresent(s -> shown.put("RESEND_API_KEY", s.masked()));
    email.smtpUrl().map(Secret::maskedUrl).ifPresent(s -> shown.put("SMTP_URL", s));
    email.fallbackProvider().ifPresent(f -> shown.put("EMAIL_FALLBACK_PROVIDER", f));
    return new Integration(
        "email",
        "email",
        provider,
        outbox ? Integration.Mode.DEV : Integration.Mode.LIVE,
        !outbox,
        shown,
        Map.of("EMAIL_RATE_LIMIT", email.rateLimit().toString()),
        new EmailHealthCheck(senders, store, metrics),
        HEALTH_INTERVAL,
        Integration.DEFAULT_TIMEOUT);
  }
}
