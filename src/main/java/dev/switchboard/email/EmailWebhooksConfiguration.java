package dev.switchboard.email;

import dev.switchboard.email.postmark.PostmarkWebhookVerifier;
import dev.switchboard.email.resend.ResendWebhookVerifier;
import dev.switchboard.email.sendgrid.SendGridWebhookVerifier;
import dev.switchboard.platform.config.InvalidConfigurationException;
import dev.switchboard.platform.config.Rate;
import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.platform.db.GroupCommits;
import dev.switchboard.platform.jobs.JobQueue;
import dev.switchboard.platform.ratelimit.RateLimitRule;
import dev.switchboard.platform.webhooks.WebhookVerifier;
import dev.switchboard.platform.webhooks.WebhookVerifiers;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/**
 * The delivery-webhook intake, and one verifier per provider whose webhook secret is set; a
 * provider without one has no verifier, and its webhook URL answers 404 {@code
 * webhook_not_configured}. A secret that cannot be used (not a P-256 key, not {@code whsec_} +
 * base64) stops startup naming the variable, like every other configuration problem.
 *
 * <p>Whether a verifier exists is decided when its bean is made (a bean method that returns {@code
 * null} leaves no bean), not by a condition, which Spring AOT would answer once at build time.
 *
 * <p>Webhooks get their own inbound limit instead of the API-wide one: providers post from a few
 * addresses in bursts (Postmark sends one request per event), and a 429 would only delay events
 * until the provider retries.
 */
@Configuration(proxyBeanMethods = false)
public class EmailWebhooksConfiguration {

  static final String SENDGRID_KEY = "SENDGRID_WEBHOOK_PUBLIC_KEY";
  static final String RESEND_SECRET = "RESEND_WEBHOOK_SECRET";

  /**
   * Per sending address; generous for provider bursts, still a ceiling for a flood of forged
   * requests.
   */
  static final Rate WEBHOOK_RATE = new Rate(500, Duration.ofSeconds(1));

  @Bean
  DeliveryEventIngest deliveryEventIngest(
      ObjectProvider<WebhookVerifier<List<DeliveryEvent>>> verifiers,
      EmailStore store,
      JobQueue jobs,
      GroupCommits commits,
      Clock clock) {
    return new DeliveryEventIngest(
        new WebhookVerifiers<>(
            verifiers.orderedStream().toList(),
            provider ->
                "Delivery webhooks from "
                    + provider
                    + " are not configured; set its webhook secret (docs/email-webhooks.md)."),
        store,
        jobs::enqueueAll,
        commits,
        clock);
  }

  @Bean
  RateLimitRule emailWebhookRateLimit() {
    return new RateLimitRule("email.webhooks", "/api/webhooks/email/", WEBHOOK_RATE, true);
  }

  @Bean
  WebhookVerifier<List<DeliveryEvent>> sendGridWebhookVerifier(
      SwitchboardConfig config, Clock clock, JsonMapper json) {
    EmailConfig.Webhooks hooks = config.area(EmailConfig.class).webhooks();
    if (hooks.sendgridPublicKey().isEmpty()) {
      return null;
    }
    return checked(
        SENDGRID_KEY,
        () ->
            new SendGridWebhookVerifier(
                hooks.sendgridPublicKey().orElseThrow().reveal(), clock, json));
  }

  @Bean
  WebhookVerifier<List<DeliveryEvent>> postmarkWebhookVerifier(
      SwitchboardConfig config, Clock clock, JsonMapper json) {
    return config
        .area(EmailConfig.class)
        .webhooks()
        .postmarkCredentials()
        .map(credentials -> new PostmarkWebhookVerifier(credentials, clock, json))
        .orElse(null);
  }

  @Bean
  WebhookVerifier<List<DeliveryEvent>> resendWebhookVerifier(
      SwitchboardConfig config, Clock clock, JsonMapper json) {
    EmailConfig.Webhooks hooks = config.area(EmailConfig.class).webhooks();
    if (hooks.resendSecrets().isEmpty()) {
      return null;
    }
    return checked(
        RESEND_SECRET, () -> new ResendWebhookVerifier(hooks.resendSecrets(), clock, json));
  }

  /**
   * Turns a verifier's refusal of its secret into the startup error; the verifiers never quote the
   * value.
   */
  private static WebhookVerifier<List<DeliveryEvent>> checked(
      String variable, Supplier<WebhookVerifier<List<DeliveryEvent>>> build) {
    try {
      return build.get();
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigurationException(List.of(variable + ": " + e.getMessage()));
    }
  }
}
