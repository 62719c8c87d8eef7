package dev.switchboard.platform.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateTest {

  @Test
  void parseWhenValidFormsThenPermitsPerPeriod() {
    assertThat(Rate.parse("100/s")).isEqualTo(new Rate(100, Duration.ofSeconds(1)));
    assertThat(Rate.parse("600/min").perSecond()).isEqualTo(10.0);
    assertThat(Rate.parse(" 1000 / h ")).isEqualTo(new Rate(1000, Duration.ofHours(1)));
    assertThat(Rate.parse("25/s")).hasToString("25/s");
  }

  @Test
  void parseWhenInvalidThenRejected() {
    for (String bad : new String[] {"", "fast", "0/s", "-1/s", "10/day", "10"}) {
      assertThatIllegalArgumentException().as(bad).isThrownBy(() -> Rate.parse(bad));
    }
  }
}
