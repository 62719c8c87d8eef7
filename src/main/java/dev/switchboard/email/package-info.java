/**
 * Transactional email: templates, a durable rate-limited send queue, delivery events and a
 * suppression list.
 *
 * <p>Providers implement {@link dev.switchboard.email.MailSender}: {@code sendgrid}, {@code
 * postmark}, {@code resend}, {@code smtp}, and {@code outbox} (the embedded default: mail is kept
 * and shown on the dashboard, nothing leaves the machine). Delivery webhooks are verified by {@link
 * dev.switchboard.platform.webhooks.WebhookVerifier}s, stored by {@link
 * dev.switchboard.email.DeliveryEventIngest} and applied by {@link
 * dev.switchboard.email.DeliveryEventJob}.
 */
package dev.switchboard.email;
