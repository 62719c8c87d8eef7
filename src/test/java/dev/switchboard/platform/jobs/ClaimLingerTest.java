package dev.switchboard.platform.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ClaimLingerTest {

  private static final long MS = 1_000_000L;

  /** nanoTime values can be negative and wrap; the rule only ever subtracts them. */
  private static final long T = Long.MAX_VALUE - 2 * MS;

  private final ClaimLinger linger = new ClaimLinger(Duration.ofMillis(5));

  @Test
  void holdsWhenNothingWasClaimedYetThenNot() {
    assertThat(linger.holds(T)).isFalse();
    assertThat(linger.left(T)).isZero();
  }

  @Test
  void holdsWhenTheLastClaimCameBackShortThenUntilThePauseHasPassedSinceIt() {
    linger.claimed(T, 64, 3);

    assertThat(linger.holds(T)).isTrue();
    assertThat(linger.left(T + MS)).isEqualTo(Duration.ofMillis(4));
    assertThat(linger.holds(T + 5 * MS - 1)).isTrue();
    assertThat(linger.left(T + 5 * MS - 1)).isEqualTo(Duration.ofNanos(1));
    assertThat(linger.holds(T + 5 * MS)).isFalse();
    assertThat(linger.left(T + 5 * MS)).isZero();
  }

  @Test
  void holdsWhenTheLastClaimWasFullThenNot() {
    linger.claimed(T, 64, 3);
    // A backlog: the next claim at once.
    linger.claimed(T + 6 * MS, 64, 64);

    assertThat(linger.holds(T + 6 * MS)).isFalse();
    assertThat(linger.left(T + 6 * MS)).isZero();
  }

  @Test
  void holdsWhenAnEmptyClaimFollowsAFullOneThenItCountsFromTheEmptyOne() {
    linger.claimed(T, 64, 64);
    linger.claimed(T + MS, 64, 0);

    assertThat(linger.holds(T + 5 * MS)).isTrue();
    assertThat(linger.holds(T + 6 * MS)).isFalse();
  }

  @Test
  void holdsWhenThePauseIsZeroThenNever() {
    ClaimLinger none = new ClaimLinger(Duration.ZERO);
    none.claimed(T, 8, 1);

    assertThat(none.holds(T)).isFalse();
  }

  @Test
  void newWhenThePauseIsNegativeThenRefused() {
    assertThatThrownBy(() -> new ClaimLinger(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
