package dev.switchboard.monitoring;

import static dev.switchboard.monitoring.Fakes.integration;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.platform.integrations.HealthResult;
import dev.switchboard.testing.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IntegrationMetricsTest {

  final AtomicLong ticker = new AtomicLong();
  final Queue<HealthResult> script =
      new ArrayDeque<>(
          List.of(
              HealthResult.up("ok"), HealthResult.degraded("slow"), HealthResult.down("refused")));
  final HealthMonitor monitor =
      new HealthMonitor(
          List.of(
              integration(
                  "email",
                  "email",
                  () -> {
                    ticker.addAndGet(Duration.ofMillis(40).toNanos());
                    return script.remove();
                  },
                  Duration.ofSeconds(5))),
          Set.of(),
          Duration.ofMinutes(10),
          new ManualClock(Instant.EPOCH),
          ticker::get,
          event -> {},
          Runnable::run);
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @AfterEach
  void tearDown() {
    monitor.stop();
  }

  double up() {
    return registry
        .get("switchboard.integration.up")
        .tags("integration", "email", "provider", "email-provider")
        .gauge()
        .value();
  }

  @Test
  void bindToWhenStatusChangesThenGaugesFollowTheCache() {
    new IntegrationMetrics(monitor).bindTo(registry);
    assertThat(up()).isNaN();

    monitor.checkNow("email").join();
    assertThat(up()).isEqualTo(1.0);
    assertThat(
            registry
                .get("switchboard.integration.check.latency")
                .tag("integration", "email")
                .gauge()
                .value())
        .isEqualTo(0.04);
    monitor.checkNow("email").join();
    assertThat(up()).isEqualTo(0.5);
    monitor.checkNow("email").join();
    assertThat(up()).isEqualTo(0.0);
  }
}
