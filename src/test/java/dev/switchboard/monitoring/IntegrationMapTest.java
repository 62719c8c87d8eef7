package dev.switchboard.monitoring;

import static dev.switchboard.monitoring.Fakes.integration;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.platform.instances.InMemoryInstanceStore;
import dev.switchboard.platform.instances.InstanceRegistry;
import dev.switchboard.platform.instances.Instances;
import dev.switchboard.platform.integrations.HealthResult;
import dev.switchboard.platform.integrations.HealthStatus;
import dev.switchboard.testing.ManualClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IntegrationMapTest {

  final Map<String, HealthResult> next = new ConcurrentHashMap<>();
  final HealthMonitor monitor =
      new HealthMonitor(
          List.of(
              integration("storage", "storage", () -> next.get("storage"), Duration.ofSeconds(5)),
              integration("email", "email", () -> next.get("email"), Duration.ofSeconds(5)),
              integration("custom", "zeta", () -> next.get("custom"), Duration.ofSeconds(5)),
              integration(
                  "database", "platform", () -> next.get("database"), Duration.ofSeconds(5)),
              integration(
                  "email.bounces",
                  "email",
                  () -> next.get("email.bounces"),
                  Duration.ofSeconds(5))),
          Set.of("database"),
          Duration.ofMinutes(10),
          new ManualClock(Instant.parse("2025-01-01T00:00:00Z")),
          System::nanoTime,
          event -> {},
          Runnable::run);
  final IntegrationMap map =
      new IntegrationMap(
          monitor,
          new InstanceRegistry(
              new InMemoryInstanceStore(),
              Instances.instance("inst_test", "h1", Instant.parse("2025-01-01T00:00:00Z")),
              Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC)));

  @AfterEach
  void tearDown() {
    monitor.stop();
  }

  void checkAll(HealthResult database, HealthResult email, HealthResult others) {
    next.put("database", database);
    next.put("email", email);
    next.put("email.bounces", others);
    next.put("storage", others);
    next.put("custom", others);
    monitor.integrations().forEach(i -> monitor.checkNow(i.id()).join());
  }

  @Test
  void snapshotWhenAllUpThenUpOrderedByAreaThenId() {
    checkAll(HealthResult.up("ok"), HealthResult.up("ok"), HealthResult.up("ok"));

    IntegrationMapView view = map.snapshot();

    assertThat(view.status()).isEqualTo("up");
    assertThat(view.integrations())
        .extracting(IntegrationView::id)
        .containsExactly("database", "email", "email.bounces", "storage", "custom");
    assertThat(view.areas())
        .extracting(AreaView::area)
        .containsExactly("platform", "email", "storage", "zeta");
    assertThat(view.areas().get(1).integrations()).hasSize(2);
    IntegrationView email = view.integrations().get(1);
    assertThat(email.provider()).isEqualTo("email-provider");
    assertThat(email.mode()).isEqualTo("dev");
    assertThat(email.config()).containsEntry("SETTING", "value");
    assertThat(email.rateLimits()).containsEntry("outbound", "10/s");
    assertThat(email.health().status()).isEqualTo("up");
    assertThat(email.health().latencyMs()).isNotNull();
    assertThat(email.health().checkedAt()).isEqualTo(Instant.parse("2025-01-01T00:00:00Z"));
  }

  @Test
  void snapshotWhenTheRegistryListsThisInstanceThenItIsOnTheMapAsLiveAndSelf() {
    IntegrationMapView view = map.snapshot();

    assertThat(view.instances()).hasSize(1);
    InstanceView self = view.instances().get(0);
    assertThat(self.id()).isEqualTo("inst_test");
    assertThat(self.state()).isEqualTo("live");
    assertThat(self.self()).isTrue();
    assertThat(self.lastHeartbeat()).isEqualTo(Instant.parse("2025-01-01T00:00:00Z"));
    assertThat(self.heartbeatIntervalMs()).isEqualTo(10_000);
    assertThat(self.stoppedAt()).isNull();
  }

  @Test
  void snapshotWhenNonEssentialDownThenDegradedAndAreaShowsWorst() {
    checkAll(HealthResult.up("ok"), HealthResult.down("refused"), HealthResult.degraded("slow"));

    IntegrationMapView view = map.snapshot();

    assertThat(view.status()).isEqualTo("degraded");
    assertThat(view.areas())
        .extracting(AreaView::status)
        .containsExactly("up", "down", "degraded", "degraded");
    assertThat(map.summary().down()).isFalse();
  }

  @Test
  void summaryWhenDatabaseDownThenDownWithEveryStatusAndNoConfig() {
    checkAll(HealthResult.down("connection failed"), HealthResult.up("ok"), HealthResult.up("ok"));

    HealthSummary summary = map.summary();

    assertThat(summary.status()).isEqualTo("down");
    assertThat(summary.down()).isTrue();
    assertThat(summary.integrations())
        .containsEntry("database", "down")
        .containsEntry("email", "up")
        .hasSize(5);
    assertThat(map.snapshot().status()).isEqualTo("down");
  }

  @Test
  void snapshotWhenNothingCheckedYetThenUnknownBoxesAndNoLatency() {
    IntegrationMapView view = map.snapshot();

    assertThat(view.status()).isEqualTo("up");
    assertThat(view.areas()).extracting(AreaView::status).containsOnly("unknown");
    assertThat(view.integrations().get(0).health().latencyMs()).isNull();
    assertThat(view.integrations().get(0).health().checkedAt()).isNull();
  }

  @Test
  void overallWhenEssentialDegradedThenDegradedNotDown() {
    Instant t = Instant.EPOCH;
    IntegrationHealth degraded =
        new IntegrationHealth(HealthStatus.DEGRADED, "slow", Duration.ZERO, t, t);

    assertThat(IntegrationMap.overall(Map.of("database", degraded), "database"::equals))
        .isEqualTo(HealthStatus.DEGRADED);
  }
}
