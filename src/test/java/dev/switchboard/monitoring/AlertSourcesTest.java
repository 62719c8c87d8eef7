package dev.switchboard.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.platform.config.Rate;
import dev.switchboard.platform.outbound.OutboundAttempt;
import dev.switchboard.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The error-rate and rate-limit rules measured with an injected clock. */
class AlertSourcesTest {

  static final Instant T0 = Instant.parse("2026-12-04T12:00:00Z");
  final ManualClock clock = new ManualClock(T0);
  final AlertsConfig.Rules rules = AlertsConfig.Rules.defaults();
  final OutboundTraffic traffic = new OutboundTraffic(clock, Duration.ofMinutes(6));
  final RateUsage usage = new RateUsage(clock, Duration.ofMinutes(6));
  final ErrorStore noErrors =
      new ErrorStore() {
        @Override
        public void record(ErrorOccurrence occurrence) {}

        @Override
        public ErrorPage page(int limit, int offset) {
          return new ErrorPage(List.of(), 0, limit, offset);
        }

        @Override
        public long count() {
          return 0;
        }

        @Override
        public String userHashSalt() {
          return "salt";
        }
      };

  void call(String integration, int status) {
    traffic.onAttempt(
        new OutboundAttempt(
            integration,
            "POST",
            "api.stripe.test",
            "/v1/x",
            OptionalInt.of(status),
            Optional.empty(),
            Duration.ofMillis(5),
            1));
  }

  @Test
  void errorRateWhenBurstOf5xxAboveFivePercentWithEnoughCallsThenFiresForThatIntegration() {
    ErrorRateSource source = new ErrorRateSource(traffic, noErrors, rules);
    for (int i = 0; i < 30; i++) {
      call("payments.stripe", i < 3 ? 500 : 200);
    }
    clock.advance(Duration.ofSeconds(1));

    assertThat(source.firing(clock.instant()))
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.subject()).isEqualTo("payments.stripe");
              assertThat(s.detail()).startsWith("10.0% of 30 calls failed");
            });
    assertThat(source.cleared("payments.stripe", clock.instant())).isFalse();

    clock.advance(Duration.ofMinutes(5));
    assertThat(source.firing(clock.instant())).as("out of the window").isEmpty();
    assertThat(source.cleared("payments.stripe", clock.instant())).isTrue();
  }

  @Test
  void errorRateWhenFewerCallsThanTheMinimumOrBelowTheShareThenSilent() {
    ErrorRateSource source = new ErrorRateSource(traffic, noErrors, rules);
    for (int i = 0; i < 19; i++) {
      call("email.sendgrid", 503);
    }
    for (int i = 0; i < 100; i++) {
      call("payments.paypal", i < 5 ? 500 : 201);
    }
    clock.advance(Duration.ofSeconds(1));

    assertThat(source.firing(clock.instant())).isEmpty();
  }

  @Test
  void rateLimitWhenHeldAtNinetyPercentForTheWindowThenOneSignalForTheBucket() {
    RateLimitSource source = new RateLimitSource(usage, traffic, rules);
    Rate limit = Rate.parse("100/s");
    for (int second = 0; second < 61; second++) {
      for (int i = 0; i < 90; i++) {
        usage.taken("email:sendgrid", limit);
      }
      clock.advance(Duration.ofSeconds(1));
      if (second < 59) {
        assertThat(source.firing(clock.instant()))
            .as("not a full minute yet at second " + second)
            .isEmpty();
      }
    }

    assertThat(source.firing(clock.instant()))
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.subject()).isEqualTo("email:sendgrid");
              assertThat(s.detail()).startsWith("90% of 100/s used over the last 1m");
            });
  }

  @Test
  void rateUsageWhenCallersGoIdleForTheKeptSpanThenTheirBucketsAreForgotten() {
    Rate limit = Rate.parse("3/min");
    for (int caller = 0; caller < 1_000; caller++) {
      usage.taken("api:key_" + caller, limit);
    }
    clock.advance(Duration.ofSeconds(1));
    usage.taken("api:key_busy", limit);
    assertThat(usage.bucketCount()).isEqualTo(1_001);

    clock.advance(Duration.ofMinutes(6).plusSeconds(1));
    usage.taken("api:key_busy", limit);
    usage.usage(clock.instant(), Duration.ofMinutes(1));

    assertThat(usage.bucketCount()).isEqualTo(1);
  }

  @Test
  void rateLimitWhenHeldAtSeventyPercentThenSilent() {
    RateLimitSource source = new RateLimitSource(usage, traffic, rules);
    for (int second = 0; second < 70; second++) {
      for (int i = 0; i < 70; i++) {
        usage.taken("payments:stripe", Rate.parse("100/s"));
      }
      clock.advance(Duration.ofSeconds(1));
    }
    assertThat(source.firing(clock.instant())).isEmpty();
  }

  @Test
  void rateLimitWhenProviderAnswers429ThenFiresAtOnceAndClearsAfterTheWindow() {
    RateLimitSource source = new RateLimitSource(usage, traffic, rules);
    call("email.sendgrid", 429);
    clock.advance(Duration.ofSeconds(1));

    assertThat(source.firing(clock.instant()))
        .singleElement()
        .extracting(AlertSignal::title)
        .isEqualTo("Provider rate limit hit by email.sendgrid");

    clock.advance(Duration.ofMinutes(1));
    assertThat(source.cleared("email.sendgrid", clock.instant())).isTrue();
  }

  @Test
  void subjectWhenPerClientBucketThenTheLimitsNameNeverTheClient() {
    assertThat(RateLimitSource.subject("api:key_123")).isEqualTo("api");
    assertThat(RateLimitSource.subject("auth.login:203.0.113.9")).isEqualTo("auth.login");
    assertThat(RateLimitSource.subject("email:sendgrid")).isEqualTo("email:sendgrid");
  }

  @Test
  void errorRateWhenManyNewErrorGroupsInAMinuteThenFiresForErrors() {
    List<ErrorGroup> groups = new java.util.ArrayList<>();
    for (int i = 0; i < 12; i++) {
      Instant first = i < 10 ? T0.minusSeconds(30) : T0.minus(Duration.ofHours(1));
      groups.add(
          new ErrorGroup(
              "fp" + i,
              "IllegalStateException",
              "boom",
              1,
              first,
              T0,
              "req",
              "GET",
              "/x",
              List.of()));
    }
    ErrorStore store =
        new ErrorStore() {
          @Override
          public void record(ErrorOccurrence occurrence) {}

          @Override
          public ErrorPage page(int limit, int offset) {
            return new ErrorPage(groups, groups.size(), limit, offset);
          }

          @Override
          public long count() {
            return groups.size();
          }

          @Override
          public String userHashSalt() {
            return "salt";
          }
        };
    ErrorRateSource source = new ErrorRateSource(traffic, store, rules);

    assertThat(source.firing(T0))
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.subject()).isEqualTo("errors");
              assertThat(s.detail())
                  .isEqualTo("10 new error groups in the last minute; threshold 10");
            });
    assertThat(source.cleared("errors", T0.plusSeconds(60))).isTrue();
  }
}
