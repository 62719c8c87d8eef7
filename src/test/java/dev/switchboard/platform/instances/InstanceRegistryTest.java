package dev.switchboard.platform.instances;

import static dev.switchboard.platform.instances.Instances.instance;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.platform.integrations.HealthResult;
import dev.switchboard.platform.integrations.HealthStatus;
import dev.switchboard.platform.integrations.Integration;
import dev.switchboard.testing.ManualClock;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;

class InstanceRegistryTest {

  static final Instant START = Instant.parse("2026-12-05T12:00:00Z");

  final ManualClock clock = new ManualClock(START);
  final InMemoryInstanceStore store = new InMemoryInstanceStore();
  final InstanceRegistry registry =
      new InstanceRegistry(
          store,
          Instances.withStorage(instance("inst_self", "h1", START), "local", "local:h1:/d"),
          clock);

  @AfterEach
  void tearDown() {
    registry.stop();
  }

  @Test
  void startWhenOthersAreLiveThenRegistersAndListsThem() {
    store.put(instance("inst_other", "h2", START));

    registry.start();

    assertThat(store.get("inst_self")).isPresent();
    assertThat(registry.roster().members())
        .extracting(m -> m.instance().id())
        .containsExactlyInAnyOrder("inst_self", "inst_other");
    assertThat(registry.health()).isEqualTo(HealthResult.up("2 live; this is inst_self"));
  }

  @Test
  void beatWhenDueThenRefreshesTheRowAndRereadsTheOthers() {
    registry.start();
    clock.advance(Duration.ofSeconds(10));
    store.put(instance("inst_late", "h2", clock.instant()));

    registry.beat();

    assertThat(store.get("inst_self").orElseThrow().heartbeatAt()).isEqualTo(clock.instant());
    assertThat(registry.roster().live()).hasSize(2);
  }

  @Test
  void beatWhenTheRowWasPrunedThenRegistersAgain() {
    registry.start();
    store.delete("inst_self");
    clock.advance(Duration.ofSeconds(10));

    registry.beat();

    assertThat(store.get("inst_self").orElseThrow().heartbeatAt()).isEqualTo(clock.instant());
  }

  @Test
  void beatWhenTheDatabaseFailsThenHealthDegradedWithSqlStateOnlyAndRecoversOnTheNextBeat() {
    registry.start();
    store.failWith(
        new DataAccessResourceFailureException(
            "x", new SQLException("password=hunter2 refused", "08001")));

    registry.beat();

    HealthResult health = registry.health();
    assertThat(health.status()).isEqualTo(HealthStatus.DEGRADED);
    assertThat(health.detail())
        .startsWith("heartbeat failed: database error (SQLState 08001)")
        .doesNotContain("hunter2");
    store.failWith(null);
    registry.beat();
    assertThat(registry.health().status()).isEqualTo(HealthStatus.UP);
  }

  @Test
  void healthWhenAnotherInstanceMissedThreeBeatsThenDegradedUntilItReportsAgain() {
    store.put(instance("inst_other", "h2", START));
    registry.start();
    clock.advance(Duration.ofSeconds(31));
    registry.beat();

    assertThat(registry.health().status()).isEqualTo(HealthStatus.DEGRADED);
    assertThat(registry.health().detail()).contains("inst_other on h2 (pid 100) stopped reporting");
    assertThat(registry.roster().members())
        .filteredOn(m -> m.instance().id().equals("inst_other"))
        .extracting(InstanceRoster.Member::state)
        .containsExactly(InstanceState.STALE);

    store.put(instance("inst_other", "h2", clock.instant()));
    registry.beat();
    assertThat(registry.health().status()).isEqualTo(HealthStatus.UP);
  }

  @Test
  void stopWhenRunningThenMarksTheRowStopped() {
    registry.start();
    clock.advance(Duration.ofSeconds(3));

    registry.stop();

    assertThat(store.get("inst_self").orElseThrow().stoppedAt()).hasValue(clock.instant());
    assertThat(store.get("inst_self").orElseThrow().state(clock.instant()))
        .isEqualTo(InstanceState.STOPPED);
  }

  @Test
  void beatWhenRowsAreOldThenPrunesStoppedAfterAnHourAndStaleAfterADayAtMostEveryTenMinutes() {
    store.put(Instances.stopped(instance("inst_stopped", "h2", START), START));
    store.put(instance("inst_dead", "h3", START));
    registry.start();
    registry.beat();
    assertThat(store.prunes).isEqualTo(1);

    clock.advance(Duration.ofMinutes(61));
    registry.beat();
    assertThat(store.get("inst_stopped")).isEmpty();
    assertThat(store.get("inst_dead")).as("stale rows stay a day").isPresent();
    registry.beat();
    assertThat(store.prunes).as("not again within ten minutes").isEqualTo(2);

    clock.advance(Duration.ofHours(24));
    registry.beat();
    assertThat(store.get("inst_dead")).isEmpty();
    assertThat(store.get("inst_self")).isPresent();
  }

  @Test
  void watchWhenStorageIsSharedLocallyThenTheStorageBoxIsDegradedWithTheReason() throws Exception {
    store.put(Instances.withStorage(instance("inst_other", "h2", START), "local", "local:h2:/d"));
    registry.start();
    AtomicReference<HealthResult> inner = new AtomicReference<>(HealthResult.up("bucket ok"));

    Integration storage = registry.watch(box("storage", inner));

    assertThat(storage.healthCheck().check().status()).isEqualTo(HealthStatus.DEGRADED);
    assertThat(storage.healthCheck().check().detail()).contains("set STORAGE_PROVIDER=s3 or r2");
    inner.set(HealthResult.down("disk full"));
    assertThat(storage.healthCheck().check()).isEqualTo(HealthResult.down("disk full"));
    inner.set(HealthResult.degraded("slow"));
    assertThat(storage.healthCheck().check().detail())
        .startsWith("slow; STORAGE_PROVIDER=local on 2 of 2");
  }

  @Test
  void watchWhenAloneOrNotAWatchedBoxThenTheCheckIsUnchanged() throws Exception {
    registry.start();
    AtomicReference<HealthResult> inner = new AtomicReference<>(HealthResult.up("ok"));
    Integration email = box("email", inner);

    assertThat(registry.watch(email)).isSameAs(email);
    assertThat(registry.watch(box("storage", inner)).healthCheck().check())
        .isEqualTo(HealthResult.up("ok"));
  }

  static Integration box(String id, AtomicReference<HealthResult> result) {
    return new Integration(
        id,
        id,
        "p",
        Integration.Mode.LIVE,
        true,
        Map.of(),
        Map.of(),
        result::get,
        Duration.ofSeconds(30),
        Duration.ofSeconds(5));
  }
}
