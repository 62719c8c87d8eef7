package dev.switchboard.email;

import dev.switchboard.platform.integrations.HealthCheck;
import dev.switchboard.platform.integrations.HealthResult;

/**
 * The email box's check: the provider's own check, with the queue depth and the last send error
 * added.
 */
final class EmailHealthCheck implements HealthCheck {

  private final EmailSenders senders;
  private final EmailStore store;
  private final EmailMetrics metrics;

  EmailHealthCheck(EmailSenders senders, EmailStore store, EmailMetrics metrics) {
    this.senders = senders;
    this.store = store;
    this.metrics = metrics;
  }

  @Override
  public HealthResult check() throws Exception {
    HealthResult provider = senders.primary().health();
    StringBuilder detail =
        new StringBuilder(provider.detail()).append("; queue depth ").append(store.queueDepth());
    if (senders.circuitOpen()) {
      detail
          .append("; circuit open, sending through ")
          .append(senders.fallback().map(MailSender::id).orElse("the primary"));
    }
    metrics.lastError().ifPresent(e -> detail.append("; last error: ").append(e));
    return new HealthResult(provider.status(), detail.toString());
  }
}
