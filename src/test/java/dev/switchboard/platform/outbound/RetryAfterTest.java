package dev.switchboard.platform.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RetryAfterTest {

  private final Clock clock = Clock.fixed(Instant.parse("2015-10-21T07:28:00Z"), ZoneOffset.UTC);

  @Test
  void parseWhenSecondsThenThatDelay() {
    assertThat(RetryAfter.parse("120", clock)).contains(Duration.ofSeconds(120));
    assertThat(RetryAfter.parse(" 0 ", clock)).contains(Duration.ZERO);
  }

  @Test
  void parseWhenHttpDateThenDelayFromClock() {
    assertThat(RetryAfter.parse("Wed, 21 Oct 2015 07:28:30 GMT", clock))
        .contains(Duration.ofSeconds(30));
  }

  @Test
  void parseWhenHttpDateInPastThenZero() {
    assertThat(RetryAfter.parse("Wed, 21 Oct 2015 07:00:00 GMT", clock)).contains(Duration.ZERO);
  }

  @Test
  void parseWhenMalformedThenEmpty() {
    assertThat(RetryAfter.parse(null, clock)).isEmpty();
    assertThat(RetryAfter.parse("", clock)).isEmpty();
    assertThat(RetryAfter.parse("-5", clock)).isEmpty();
    assertThat(RetryAfter.parse("1.5", clock)).isEmpty();
    assertThat(RetryAfter.parse("soon", clock)).isEmpty();
    assertThat(RetryAfter.parse("99999999999999999999999", clock)).isEmpty();
  }
}
