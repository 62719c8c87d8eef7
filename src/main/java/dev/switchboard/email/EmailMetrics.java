package dev.switchboard.email;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Email meters: {@code switchboard_email_sent_total{provider}}, {@code
 * switchboard_email_failed_total{provider,reason}} (reason {@code failed} or {@code suppressed}),
 * {@code switchboard_email_send_latency_seconds{provider}} (one provider call), and {@code
 * switchboard_email_queue_depth} (messages queued or sending). It also keeps this instance's last
 * send error for the integration map.
 */
public final class EmailMetrics {

  private final MeterRegistry registry;
  private final AtomicReference<String> lastError = new AtomicReference<>();

  /**
   * @param registry where meters go; null keeps only the last error (unit tests)
   */
  public EmailMetrics(MeterRegistry registry, EmailStore store) {
    this.registry = registry;
    if (registry != null) {
      Gauge.builder("switchboard.email.queue.depth", store, EmailStore::queueDepth)
          .description("Messages queued or being sent")
          .register(registry);
    }
  }

  void sent(String provider) {
    if (registry != null) {
      Counter.builder("switchboard.email.sent")
          .description("Messages a provider accepted")
          .tag("provider", provider)
          .register(registry)
          .increment();
    }
  }

  void failed(String provider, EmailStatus status, String error) {
    lastError.set(error);
    if (registry != null) {
      Counter.builder("switchboard.email.failed")
          .description("Messages that ended failed or suppressed")
          .tag("provider", provider)
          .tag("reason", status.id())
          .register(registry)
          .increment();
    }
  }

  void attemptFailed(String error) {
    lastError.set(error);
  }

  void latency(String provider, Duration duration) {
    if (registry != null) {
      Timer.builder("switchboard.email.send.latency")
          .description("Time of one provider send call")
          .tag("provider", provider)
          .register(registry)
          .record(duration);
    }
  }

  /** The last send error seen by this instance, if any. */
  public Optional<String> lastError() {
    return Optional.ofNullable(lastError.get());
  }
}
