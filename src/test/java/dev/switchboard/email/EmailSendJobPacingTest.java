package dev.switchboard.email;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.platform.config.Rate;
import dev.switchboard.platform.ratelimit.InMemoryRateLimiter;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Sending is paced one permit at a time, so no second holds more than the configured rate allows.
 */
class EmailSendJobPacingTest {

  @Test
  void evenlySpacedWhenHundredPerSecondThenOnePermitEveryTenMilliseconds() {
    assertThat(EmailSendJob.evenlySpaced(Rate.parse("100/s")))
        .isEqualTo(new Rate(1, Duration.ofMillis(10)));
    assertThat(EmailSendJob.evenlySpaced(Rate.parse("2/s")))
        .isEqualTo(new Rate(1, Duration.ofMillis(500)));
    assertThat(EmailSendJob.evenlySpaced(Rate.parse("600/min")))
        .isEqualTo(new Rate(1, Duration.ofMillis(100)));
  }

  @Test
  void evenlySpacedWhenRateFinerThanNanosecondsThenOneNanosecondNotZero() {
    assertThat(EmailSendJob.evenlySpaced(Rate.parse("999999999/ms")))
        .isEqualTo(new Rate(1, Duration.ofNanos(1)));
  }

  @Test
  void acquireWhenBucketIdleThenSpacedRateGivesOnePermitWhereConfiguredRateGivesAWholeSecond() {
    InMemoryRateLimiter limiter = new InMemoryRateLimiter();
    Rate configured = Rate.parse("100/s");
    int burst = 0;
    while (limiter.tryAcquire("email:burst", configured).allowed()) {
      burst++;
    }
    assertThat(burst)
        .as("the bucket of the configured rate starts with a second's permits")
        .isGreaterThanOrEqualTo(100);

    Rate spaced = EmailSendJob.evenlySpaced(configured);
    assertThat(limiter.tryAcquire("email:spaced", spaced).allowed()).isTrue();
    var next = limiter.tryAcquire("email:spaced", spaced);
    assertThat(next.allowed()).isFalse();
    assertThat(next.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofMillis(10));
  }
}
