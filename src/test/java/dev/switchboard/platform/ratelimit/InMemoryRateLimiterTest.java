package dev.switchboard.platform.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.platform.config.Rate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InMemoryRateLimiterTest {

  private final ManualTime time = new ManualTime();
  private final InMemoryRateLimiter limiter = new InMemoryRateLimiter(time, time);

  @Test
  void tryAcquireWhenPermitsLeftThenAllowsUpToCapacityThenRefuses() {
    Rate rate = Rate.parse("10/s");
    List<Long> remaining = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      RateLimiter.Decision decision = limiter.tryAcquire("k", rate);
      assertThat(decision.allowed()).isTrue();
      remaining.add(decision.remaining());
    }
    RateLimiter.Decision refused = limiter.tryAcquire("k", rate);

    assertThat(remaining).containsExactly(9L, 8L, 7L, 6L, 5L, 4L, 3L, 2L, 1L, 0L);
    assertThat(refused.allowed()).isFalse();
    assertThat(refused.remaining()).isZero();
    assertThat(refused.retryAfter()).isEqualTo(Duration.ofMillis(100));
    assertThat(refused.retryAfterSeconds()).isEqualTo(1);
  }

  @Test
  void tryAcquireWhenPeriodPassesThenBucketIsFullAgain() {
    Rate rate = Rate.parse("10/s");
    drain("k", rate);

    time.advance(Duration.ofSeconds(1));

    assertThat(allowedOf(20, "k", rate)).isEqualTo(10);
  }

  @Test
  void tryAcquireWhenPartOfPeriodPassesThenRefillsGradually() {
    Rate rate = Rate.parse("3/min");
    drain("k", rate);

    time.advance(Duration.ofSeconds(19));
    RateLimiter.Decision early = limiter.tryAcquire("k", rate);
    time.advance(Duration.ofSeconds(1));
    RateLimiter.Decision onTime = limiter.tryAcquire("k", rate);
    RateLimiter.Decision next = limiter.tryAcquire("k", rate);

    assertThat(early.allowed()).isFalse();
    assertThat(early.retryAfter()).isEqualTo(Duration.ofSeconds(1));
    assertThat(onTime.allowed()).isTrue();
    assertThat(next.allowed()).isFalse();
    assertThat(next.retryAfter()).isEqualTo(Duration.ofSeconds(20));
  }

  @Test
  void tryAcquireWhenKeysOrRatesDifferThenBucketsAreSeparate() {
    Rate rate = Rate.parse("2/min");
    drain("a", rate);

    assertThat(limiter.tryAcquire("b", rate).allowed()).isTrue();
    assertThat(limiter.tryAcquire("a", Rate.parse("3/min")).allowed()).isTrue();
    assertThat(limiter.tryAcquire("a", rate).allowed()).isFalse();
  }

  @Test
  void acquireWhenBucketEmptyThenWaitsExactlyForTheNextPermit() throws InterruptedException {
    Rate rate = Rate.parse("2/s");
    drain("k", rate);

    assertThat(limiter.acquire("k", rate, Duration.ofSeconds(1))).isTrue();
    assertThat(time.parked()).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void acquireWhenManyCallsThenSustainedRateIsTheConfiguredRate() throws InterruptedException {
    Rate rate = Rate.parse("5/s");
    for (int i = 0; i < 55; i++) {
      assertThat(limiter.acquire("k", rate, Duration.ofMinutes(1))).isTrue();
    }
    // 5 from the full bucket, then 50 at 5/s.
    assertThat(time.parked()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void acquireWhenWaitWouldExceedMaxWaitThenReturnsFalseAndTakesNothing()
      throws InterruptedException {
    Rate rate = Rate.parse("1/min");
    drain("k", rate);

    assertThat(limiter.acquire("k", rate, Duration.ofSeconds(1))).isFalse();
    assertThat(time.parked()).isZero();
    time.advance(Duration.ofMinutes(1));
    assertThat(limiter.tryAcquire("k", rate).allowed()).isTrue();
  }

  @Test
  void sweepWhenBucketsHaveRefilledThenDropsOnlyFullOnes() {
    Rate fast = Rate.parse("10/s");
    for (int i = 0; i < 100; i++) {
      limiter.tryAcquire("caller-" + i, fast);
    }
    limiter.tryAcquire("slow", Rate.parse("1/h"));
    assertThat(limiter.size()).isEqualTo(101);

    time.advance(InMemoryRateLimiter.SWEEP_EVERY.plusSeconds(1));
    limiter.sweepIfDue();

    assertThat(limiter.size()).isEqualTo(1);
    assertThat(limiter.tryAcquire("slow", Rate.parse("1/h")).allowed()).isFalse();
  }

  @Test
  void tryAcquireWhenKeyEmptyThenRejectsArgument() {
    assertThatThrownBy(() -> limiter.tryAcquire("", Rate.parse("1/s")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> limiter.acquire("k", Rate.parse("1/s"), Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(limiter.size()).isZero();
  }

  @Test
  void retryAfterSecondsWhenFractionalThenRoundsUpToAtLeastOne() {
    assertThat(new RateLimiter.Decision(false, 0, Duration.ZERO).retryAfterSeconds()).isEqualTo(1);
    assertThat(new RateLimiter.Decision(false, 0, Duration.ofMillis(1)).retryAfterSeconds())
        .isEqualTo(1);
    assertThat(new RateLimiter.Decision(false, 0, Duration.ofMillis(1000)).retryAfterSeconds())
        .isEqualTo(1);
    assertThat(new RateLimiter.Decision(false, 0, Duration.ofMillis(1001)).retryAfterSeconds())
        .isEqualTo(2);
    assertThat(new RateLimiter.Decision(false, -3, Duration.ofSeconds(20)).remaining()).isZero();
  }

  private void drain(String key, Rate rate) {
    while (limiter.tryAcquire(key, rate).allowed()) {
      // empty the bucket
    }
  }

  private int allowedOf(int attempts, String key, Rate rate) {
    int allowed = 0;
    for (int i = 0; i < attempts; i++) {
      allowed += limiter.tryAcquire(key, rate).allowed() ? 1 : 0;
    }
    return allowed;
  }
}
