package dev.switchboard.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.platform.integrations.HealthStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HealthStreaksTest {

  static final Instant T0 = Instant.parse("2026-12-04T12:00:00Z");
  final HealthStreaks streaks = new HealthStreaks(3, 2, Set.of("redis", "database"));

  void check(String id, HealthStatus status) {
    streaks.onCheck(
        new IntegrationChecked(
            id,
            new IntegrationHealth(
                status,
                status == HealthStatus.DOWN ? "connection refused" : "PONG",
                Duration.ofMillis(3),
                T0,
                T0)));
  }

  @Test
  void firingWhenDownForThreeChecksInARowThenFiresWithTheDetail() {
    check("redis", HealthStatus.DOWN);
    check("redis", HealthStatus.DOWN);
    assertThat(streaks.firing(T0)).isEmpty();

    check("redis", HealthStatus.DOWN);

    assertThat(streaks.firing(T0))
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.subject()).isEqualTo("redis");
              assertThat(s.title()).isEqualTo("Integration redis is down");
              assertThat(s.detail())
                  .isEqualTo("connection refused (3 failed checks in a row, threshold 3)");
            });
    assertThat(streaks.down("redis")).isTrue();
  }

  @Test
  void firingWhenFlappingInsideTheThresholdsThenNeverFires() {
    for (int i = 0; i < 20; i++) {
      check("redis", HealthStatus.DOWN);
      check("redis", HealthStatus.DOWN);
      check("redis", HealthStatus.UP);
      assertThat(streaks.firing(T0)).isEmpty();
    }
    assertThat(streaks.cleared("redis", T0)).isFalse();
  }

  @Test
  void clearedWhenOneGoodCheckAfterAnOutageThenStillDownUntilTheSecond() {
    for (int i = 0; i < 3; i++) {
      check("redis", HealthStatus.DOWN);
    }
    check("redis", HealthStatus.UP);
    assertThat(streaks.cleared("redis", T0)).isFalse();
    assertThat(streaks.firing(T0)).hasSize(1);
    check("redis", HealthStatus.DOWN);
    check("redis", HealthStatus.UP);
    assertThat(streaks.firing(T0)).as("one lucky check does not resolve").hasSize(1);

    check("redis", HealthStatus.UP);

    assertThat(streaks.firing(T0)).isEmpty();
    assertThat(streaks.cleared("redis", T0)).isTrue();
  }

  @Test
  void clearedWhenRestartedAndNoCheckYetThenNotClearedButUnknownSubjectIs() {
    assertThat(streaks.cleared("redis", T0)).as("a fresh instance waits for good checks").isFalse();
    assertThat(streaks.cleared("payments.paypal", T0)).as("no longer configured").isTrue();
  }

  @Test
  void onCheckWhenDegradedThenNeitherCountsDownNorUp() {
    check("redis", HealthStatus.DOWN);
    check("redis", HealthStatus.DOWN);
    check("redis", HealthStatus.DEGRADED);
    check("redis", HealthStatus.DOWN);
    assertThat(streaks.firing(T0)).isEmpty();
  }
}
