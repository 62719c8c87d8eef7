package dev.switchboard.monitoring;

import static dev.switchboard.monitoring.Fakes.integration;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.platform.integrations.HealthResult;
import dev.switchboard.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Status;

class IntegrationsHealthIndicatorTest {

  final Map<String, HealthResult> next = new ConcurrentHashMap<>();
  final HealthMonitor monitor =
      new HealthMonitor(
          List.of(
              integration(
                  "database", "platform", () -> next.get("database"), Duration.ofSeconds(5)),
              integration("email", "email", () -> next.get("email"), Duration.ofSeconds(5))),
          Set.of("database"),
          Duration.ofMinutes(10),
          new ManualClock(Instant.EPOCH),
          System::nanoTime,
          event -> {},
          Runnable::run);
  final IntegrationsHealthIndicator indicator = new IntegrationsHealthIndicator(monitor);

  @AfterEach
  void tearDown() {
    monitor.stop();
  }

  void check(String id, HealthResult result) {
    next.put(id, result);
    monitor.checkNow(id).join();
  }

  @Test
  void healthWhenDatabaseDownThenDown() {
    check("database", HealthResult.down("connection failed"));
    check("email", HealthResult.up("ok"));

    assertThat(indicator.health().getStatus()).isEqualTo(Status.DOWN);
  }

  @Test
  void healthWhenOnlyThirdPartyDownThenStaysUp() {
    check("database", HealthResult.up("ok"));
    check("email", HealthResult.down("refused"));

    assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
    assertThat(indicator.health().getDetails()).containsEntry("email", "down");
  }

  @Test
  void healthWhenDatabaseNotCheckedYetThenOutOfService() {
    assertThat(indicator.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
  }

  @Test
  void healthWhenDatabaseRecoversThenUpAgain() {
    check("database", HealthResult.down("connection failed"));
    check("database", HealthResult.up("ok"));

    assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
  }
}
