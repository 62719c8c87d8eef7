/**
 * The {@code smtp} email provider: {@link dev.switchboard.email.smtp.SmtpMailSender} sends through
 * any SMTP server given by {@code SMTP_URL} ({@code smtp://} with opportunistic STARTTLS, {@code
 * smtps://} with implicit TLS), keeps our Message-ID, reuses connections, and classifies every SMTP
 * reply for the queue. Jakarta Mail (Angus) types stay in this package. See docs/email-smtp.md.
 */
package dev.switchboard.email.smtp;
