package dev.switchboard.platform.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.platform.http.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ReplayWindowTest {

  static final long NOW = 1_700_000_000L;
  static final Duration TOLERANCE = Duration.ofMinutes(5);
  static final ReplayWindow WINDOW =
      new ReplayWindow(Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC), TOLERANCE);

  @Test
  void requireFreshWhenAtTheEdgeOfTheWindowThenAcceptedAndOneSecondPastRefusedEitherWay() {
    long edge = TOLERANCE.toSeconds();
    assertThatNoException().isThrownBy(() -> WINDOW.requireFresh(NOW - edge, "old"));
    assertThatNoException().isThrownBy(() -> WINDOW.requireFresh(NOW + edge, "old"));
    for (long seconds :
        new long[] {NOW - edge - 1, NOW + edge + 1, Long.MIN_VALUE, Long.MAX_VALUE}) {
      assertThatThrownBy(() -> WINDOW.requireFresh(seconds, "old"))
          .isInstanceOfSatisfying(
              ApiException.class, e -> assertThat(e.code()).isEqualTo("invalid_signature"))
          .hasMessage("old");
    }
  }

  @Test
  void checkWhenTheTimestampIsTextThenItsSecondsOrTheMessageForWhatIsWrong() {
    assertThat(WINDOW.check(" " + (NOW - 10) + " ", "not a number", "old")).isEqualTo(NOW - 10);
    assertThatThrownBy(() -> WINDOW.check("soon", "not a number", "old"))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.code()).isEqualTo("invalid_signature"))
        .hasMessage("not a number");
    assertThatThrownBy(() -> WINDOW.check(String.valueOf(NOW + 301), "not a number", "old"))
        .isInstanceOf(ApiException.class)
        .hasMessage("old");
  }
}
