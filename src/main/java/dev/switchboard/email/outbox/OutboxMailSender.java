package dev.switchboard.email.outbox;

import dev.switchboard.email.MailSender;
import dev.switchboard.email.OutgoingMail;
import dev.switchboard.email.SendResult;
import dev.switchboard.platform.integrations.HealthResult;

/**
 * The embedded default provider: nothing leaves the machine. The rendered message is already stored
 * with its status, so accepting it is all there is to do; {@code GET /api/email/messages/{id}} and
 * the dashboard show it.
 */
public final class OutboxMailSender implements MailSender {

  public static final String ID = "outbox";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public SendResult send(OutgoingMail mail) {
    return SendResult.accepted(mail.messageId());
  }

  @Override
  public HealthResult health() {
    return HealthResult.up("dev outbox: mail is kept on this machine");
  }
}
