package dev.switchboard.email;

import dev.switchboard.platform.integrations.HealthResult;

/**
 * Hands one rendered message to a provider. Implementations: {@code SendGridMailSender}, {@code
 * PostmarkMailSender}, {@code ResendMailSender}, {@code SmtpMailSender}, {@code OutboxMailSender}.
 */
public interface MailSender {

  /**
   * The provider id used in config, rows and metrics: {@code sendgrid}, {@code postmark}, {@code
   * resend}, {@code smtp}, {@code outbox}.
   */
  String id();

  /**
   * Sends one message, once: no retries here (the queue retries, with backoff and the rate limit).
   * Never throws for a provider's answer or a network failure: every outcome is classified into a
   * {@link SendResult}.
   *
   * @param mail the rendered message; its ids are stable across attempts
   * @return the classified outcome
   */
  SendResult send(OutgoingMail mail);

  /**
   * Checks the provider is reachable with our credentials (SMTP {@code NOOP}, an authenticated
   * cheap API call), without sending mail. Run by the health monitor every few minutes, never on a
   * request thread.
   */
  HealthResult health() throws Exception;
}
