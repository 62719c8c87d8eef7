package dev.switchboard.platform.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {

  private final Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(5));

  @Test
  void ceilingWhenRetriesGrowThenDoublesUpToMax() {
    assertThat(backoff.ceiling(1)).isEqualTo(Duration.ofMillis(500));
    assertThat(backoff.ceiling(2)).isEqualTo(Duration.ofMillis(1000));
    assertThat(backoff.ceiling(4)).isEqualTo(Duration.ofMillis(4000));
    assertThat(backoff.ceiling(5)).isEqualTo(Duration.ofSeconds(5));
    assertThat(backoff.ceiling(1000)).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void delayWhenRandomThenWithinZeroAndCeilingAndSpread() {
    Random random = new Random(42);
    long min = Long.MAX_VALUE;
    long max = 0;
    for (int i = 0; i < 2000; i++) {
      long delay = backoff.delay(3, random).toMillis();
      assertThat(delay).isBetween(0L, 2000L);
      min = Math.min(min, delay);
      max = Math.max(max, delay);
    }
    // Full jitter: the whole range is used, not just its top quarter.
    assertThat(min).isLessThan(200);
    assertThat(max).isGreaterThan(1800);
  }

  @Test
  void delayWhenSharedRandomUsedFromManyThreadsThenStaysInRange() throws Exception {
    Thread[] threads = new Thread[4];
    java.util.concurrent.atomic.AtomicBoolean outOfRange =
        new java.util.concurrent.atomic.AtomicBoolean();
    for (int t = 0; t < threads.length; t++) {
      threads[t] =
          new Thread(
              () -> {
                for (int i = 0; i < 1000; i++) {
                  long d = backoff.delay(1, Backoff.SHARED_RANDOM).toMillis();
                  if (d < 0 || d > 500) {
                    outOfRange.set(true);
                  }
                }
              });
      threads[t].start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(outOfRange).isFalse();
  }

  @Test
  void constructorWhenMaxBelowInitialThenRejected() {
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> backoff.ceiling(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
