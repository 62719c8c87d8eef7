package dev.switchboard.monitoring;

import dev.switchboard.email.EmailService;
import dev.switchboard.platform.http.ApiException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sends alerts as email through the email area (template {@code alert}), so they are queued, rate
 * limited and, in development, shown in the dev outbox like every other message.
 */
public final class EmailAlertNotifier implements AlertNotifier {

  static final String TEMPLATE = "alert";

  private final EmailService email;
  private final List<String> recipients;

  public EmailAlertNotifier(EmailService email, List<String> recipients) {
    this.email = email;
    this.recipients = List.copyOf(recipients);
  }

  @Override
  public AlertChannel channel() {
    return AlertChannel.EMAIL;
  }

  @Override
  public void send(AlertMessage message) {
    Map<String, String> variables = new LinkedHashMap<>();
    variables.put("headline", message.headline());
    variables.put("rule", message.rule());
    variables.put("subject", message.subject());
    variables.put("severity", message.severity());
    variables.put("detail", message.detail());
    variables.put("environment", message.environment());
    variables.put("at", message.at().toString());
    for (String to : recipients) {
      try {
        email.send(TEMPLATE, to, variables, Optional.empty());
      } catch (ApiException e) {
        throw AlertDeliveryException.rejected(
            "the email area refused the alert: " + e.getMessage());
      }
    }
  }

  public List<String> recipients() {
    return recipients;
  }
}
