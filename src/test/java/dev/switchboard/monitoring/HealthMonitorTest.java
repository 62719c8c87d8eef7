package dev.switchboard.monitoring;

import static dev.switchboard.monitoring.Fakes.integration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.platform.integrations.HealthResult;
import dev.switchboard.platform.integrations.HealthStatus;
import dev.switchboard.platform.integrations.Integration;
import dev.switchboard.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HealthMonitorTest {

  static final Instant T0 = Instant.parse("2025-01-01T12:00:00Z");

  final ManualClock clock = new ManualClock(T0);
  final AtomicLong ticker = new AtomicLong();
  final List<Object> events = new CopyOnWriteArrayList<>();
  final List<IntegrationChecked> checked = new CopyOnWriteArrayList<>();
  final CountDownLatch release = new CountDownLatch(1);
  HealthMonitor monitor;

  @AfterEach
  void tearDown() {
    release.countDown();
    if (monitor != null) {
      monitor.stop();
    }
  }

  HealthMonitor monitor(Integration... integrations) {
    monitor =
        new HealthMonitor(
            List.of(integrations),
            Set.of("database"),
            Duration.ofMinutes(10),
            clock,
            ticker::get,
            e -> {
              if (e instanceof IntegrationChecked c) {
                checked.add(c);
              } else {
                events.add(e);
              }
            },
            Runnable::run);
    return monitor;
  }

  @Test
  void checkNowWhenCheckPassesThenCachesStatusLatencyAndTimes() {
    monitor(
        integration(
            "database",
            "platform",
            () -> {
              ticker.addAndGet(Duration.ofMillis(250).toNanos());
              return HealthResult.up("SELECT 1 ok");
            },
            Duration.ofSeconds(5)));
    assertThat(monitor.health("database").status()).isEqualTo(HealthStatus.UNKNOWN);

    IntegrationHealth health = monitor.checkNow("database").join();

    assertThat(health)
        .isEqualTo(
            new IntegrationHealth(HealthStatus.UP, "SELECT 1 ok", Duration.ofMillis(250), T0, T0));
    assertThat(monitor.health("database")).isEqualTo(health);
  }

  @Test
  void checkNowWhenStatusChangesThenOneEventPerChangeAndSinceMovesOnlyOnChange() {
    Queue<HealthResult> script =
        new ArrayDeque<>(
            List.of(
                HealthResult.up("a"),
                HealthResult.up("b"),
                HealthResult.down("c"),
                HealthResult.down("d"),
                HealthResult.up("e")));
    monitor(integration("email", "email", script::remove, Duration.ofSeconds(5)));

    monitor.checkNow("email").join();
    clock.advance(Duration.ofSeconds(30));
    IntegrationHealth second = monitor.checkNow("email").join();
    clock.advance(Duration.ofSeconds(30));
    monitor.checkNow("email").join();
    clock.advance(Duration.ofSeconds(30));
    IntegrationHealth stillDown = monitor.checkNow("email").join();
    clock.advance(Duration.ofSeconds(30));
    monitor.checkNow("email").join();

    assertThat(second.since()).isEqualTo(T0);
    assertThat(second.checkedAt()).isEqualTo(T0.plusSeconds(30));
    assertThat(stillDown.since()).isEqualTo(T0.plusSeconds(60));
    assertThat(stillDown.detail()).isEqualTo("d");
    assertThat(events).hasSize(3);
    assertThat(checked)
        .as("every check is published, changed or not")
        .hasSize(5)
        .extracting(c -> c.health().detail())
        .containsExactly("a", "b", "c", "d", "e");
    List<IntegrationHealthChanged> changes =
        events.stream().map(IntegrationHealthChanged.class::cast).toList();
    assertThat(changes)
        .extracting(IntegrationHealthChanged::previous)
        .containsExactly(HealthStatus.UNKNOWN, HealthStatus.UP, HealthStatus.DOWN);
    assertThat(changes)
        .extracting(IntegrationHealthChanged::status)
        .containsExactly(HealthStatus.UP, HealthStatus.DOWN, HealthStatus.UP);
    assertThat(changes)
        .extracting(IntegrationHealthChanged::recovered)
        .containsExactly(false, false, true);
    assertThat(changes.get(1).current().detail()).isEqualTo("c");
    assertThat(changes.get(1).provider()).isEqualTo("email-provider");
  }

  @Test
  void checkNowWhenCheckHangsThenDownAfterTimeoutAndCheckInterrupted() throws Exception {
    AtomicBoolean interrupted = new AtomicBoolean();
    CountDownLatch finished = new CountDownLatch(1);
    monitor(
        integration(
            "storage",
            "storage",
            () -> {
              try {
                release.await();
                return HealthResult.up("late");
              } catch (InterruptedException e) {
                interrupted.set(true);
                throw e;
              } finally {
                finished.countDown();
              }
            },
            Duration.ofMillis(100)));

    IntegrationHealth health = monitor.checkNow("storage").get(5, TimeUnit.SECONDS);

    assertThat(health.status()).isEqualTo(HealthStatus.DOWN);
    assertThat(health.detail()).isEqualTo("timed out after 100ms");
    assertThat(health.latency()).isEqualTo(Duration.ofMillis(100));
    assertThat(finished.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(interrupted).isTrue();
    assertThat(monitor.health("storage").status()).isEqualTo(HealthStatus.DOWN);
  }

  @Test
  void checkNowWhenOneCheckHangsThenAnotherCompletesMeanwhile() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    monitor(
        integration(
            "payments",
            "payments",
            () -> {
              started.countDown();
              release.await();
              return HealthResult.up("released");
            },
            Duration.ofSeconds(30)),
        integration("email", "email", () -> HealthResult.up("fast"), Duration.ofSeconds(30)));

    CompletableFuture<IntegrationHealth> hanging = monitor.checkNow("payments");
    assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
    IntegrationHealth fast = monitor.checkNow("email").get(5, TimeUnit.SECONDS);

    assertThat(fast.status()).isEqualTo(HealthStatus.UP);
    assertThat(hanging).isNotDone();
    release.countDown();
    assertThat(hanging.get(5, TimeUnit.SECONDS).detail()).isEqualTo("released");
  }

  @Test
  void checkNowWhenPreviousRunStillBusyThenNoSecondRunStarts() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch started = new CountDownLatch(1);
    monitor(
        integration(
            "analytics",
            "analytics",
            () -> {
              runs.incrementAndGet();
              started.countDown();
              release.await();
              return HealthResult.up("ok");
            },
            Duration.ofSeconds(30)));

    CompletableFuture<IntegrationHealth> first = monitor.checkNow("analytics");
    assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<IntegrationHealth> second = monitor.checkNow("analytics");

    assertThat(second).isSameAs(first);
    release.countDown();
    first.get(5, TimeUnit.SECONDS);
    assertThat(runs).hasValue(1);
    CompletableFuture<IntegrationHealth> third = monitor.checkNow("analytics");
    assertThat(third).isNotSameAs(first);
    third.get(5, TimeUnit.SECONDS);
    assertThat(runs).hasValue(2);
  }

  @Test
  void checkNowWhenCheckThrowsThenDownWithExceptionTypeOnly() {
    monitor(
        integration(
            "email",
            "email",
            () -> {
              throw new IllegalStateException("smtp://user:hunter2@mail.example.com refused");
            },
            Duration.ofSeconds(5)));

    IntegrationHealth health = monitor.checkNow("email").join();

    assertThat(health.status()).isEqualTo(HealthStatus.DOWN);
    assertThat(health.detail()).isEqualTo("IllegalStateException").doesNotContain("hunter2");
  }

  @Test
  void checkNowWhenCheckReturnsNothingThenDown() {
    monitor(integration("email", "email", () -> null, Duration.ofSeconds(5)));

    assertThat(monitor.checkNow("email").join().status()).isEqualTo(HealthStatus.DOWN);
  }

  @Test
  void checkNowWhenListenerFailsThenResultStillCachedAndLaterChangesPublished() {
    Queue<HealthResult> script =
        new ArrayDeque<>(List.of(HealthResult.up("a"), HealthResult.down("b")));
    AtomicInteger calls = new AtomicInteger();
    monitor =
        new HealthMonitor(
            List.of(integration("email", "email", script::remove, Duration.ofSeconds(5))),
            Set.of(),
            Duration.ofMinutes(10),
            clock,
            ticker::get,
            event -> {
              if (!(event instanceof IntegrationHealthChanged)) {
                return;
              }
              if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("listener broke");
              }
              events.add(event);
            },
            Runnable::run);

    monitor.checkNow("email").join();
    monitor.checkNow("email").join();

    assertThat(monitor.health("email").status()).isEqualTo(HealthStatus.DOWN);
    assertThat(events)
        .singleElement()
        .extracting(e -> ((IntegrationHealthChanged) e).status())
        .isEqualTo(HealthStatus.DOWN);
  }

  @Test
  void startWhenEssentialIntegrationThenCheckedBeforeStartReturnsAndAllRepeatOnTheirInterval()
      throws Exception {
    AtomicInteger emailRuns = new AtomicInteger();
    monitor(
        integration(
            "database",
            "platform",
            () -> HealthResult.up("SELECT 1 ok"),
            Duration.ofMinutes(10),
            Duration.ofSeconds(5)),
        integration(
            "email",
            "email",
            () -> {
              emailRuns.incrementAndGet();
              return HealthResult.up("ok");
            },
            Duration.ofMillis(20),
            Duration.ofSeconds(5)));

    monitor.start();

    assertThat(monitor.health("database").status()).isEqualTo(HealthStatus.UP);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (emailRuns.get() < 3 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(emailRuns.get()).isGreaterThanOrEqualTo(3);
    monitor.stop();
    assertThatThrownBy(() -> monitor.checkNow("email")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void constructorWhenTwoIntegrationsShareAnIdThenFails() {
    assertThatThrownBy(
            () ->
                monitor(
                    integration(
                        "email", "email", () -> HealthResult.up("a"), Duration.ofSeconds(1)),
                    integration(
                        "email", "email", () -> HealthResult.up("b"), Duration.ofSeconds(1))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'email'");
  }

  @Test
  void checkNowWhenIdUnknownThenIllegalArgument() {
    monitor(integration("email", "email", () -> HealthResult.up("a"), Duration.ofSeconds(1)));

    assertThatThrownBy(() -> monitor.checkNow("nope")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> monitor.health("nope")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void humanWhenWholeSecondsOrMinutesThenShortUnits() {
    assertThat(CheckRun.human(Duration.ofMillis(1500))).isEqualTo("1500ms");
    assertThat(CheckRun.human(Duration.ofSeconds(5))).isEqualTo("5s");
    assertThat(CheckRun.human(Duration.ofMinutes(2))).isEqualTo("2m");
  }
}
