package dev.switchboard.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlidingCountsTest {

  final Instant t0 = Instant.parse("2026-12-06T10:00:00Z");
  final SlidingCounts counts = new SlidingCounts(Duration.ofMinutes(10));

  @Test
  void addWhenManyThreadsCountTheSameSecondThenNoneIsLost() throws Exception {
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread thread =
          new Thread(
              () -> {
                for (int i = 0; i < 20_000; i++) {
                  counts.add(t0.plusMillis(i % 1000), 1, i % 2);
                }
              });
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }

    assertThat(counts.sum(t0.plusSeconds(1), Duration.ofSeconds(1)))
        .containsExactly(80_000, 40_000, 1);
  }

  @Test
  void addWhenSecondsMoveOnOrComeLateThenEachCountedInItsOwnSecondAndOldOnesDropped() {
    counts.add(t0, 2, 1);
    counts.add(t0.plusSeconds(1), 3, 0);
    counts.add(t0, 5, 0); // late, for the second before the newest
    counts.add(t0.plusSeconds(2), 7, 7);

    assertThat(counts.sum(t0.plusSeconds(1), Duration.ofSeconds(1))).containsExactly(7, 1, 1);
    assertThat(counts.sum(t0.plusSeconds(3), Duration.ofSeconds(3))).containsExactly(17, 8, 1);
    assertThat(counts.idleSince(t0.plusSeconds(3))).isTrue();
    assertThat(counts.idleSince(t0.plusSeconds(2))).isFalse();

    counts.add(t0.plusSeconds(700), 1, 0);
    assertThat(counts.sum(t0.plusSeconds(3), Duration.ofSeconds(3))).containsExactly(0, 0, 1);
  }
}
