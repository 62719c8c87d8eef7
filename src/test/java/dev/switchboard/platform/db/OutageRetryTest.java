package dev.switchboard.platform.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

class OutageRetryTest {

  static final Duration EVERY = Duration.ofMillis(5);

  @Test
  void callWhenTheDatabaseComesBackWithinTheTimeThenTheWriteIsTriedAgainUntilItAnswers() {
    AtomicInteger tries = new AtomicInteger();
    Supplier<Boolean> write =
        () -> {
          if (tries.incrementAndGet() < 3) {
            throw new CannotGetJdbcConnectionException("connection refused");
          }
          return true;
        };
    assertThat(OutageRetry.call(write, EVERY, Duration.ofSeconds(5))).isTrue();
    assertThat(tries).hasValue(3);
  }

  @Test
  void callWhenTheStatementIsRefusedThenThrownAtOnceWithoutATry() {
    AtomicInteger tries = new AtomicInteger();
    DuplicateKeyException refused = new DuplicateKeyException("duplicate");
    assertThatThrownBy(
            () ->
                OutageRetry.call(
                    () -> {
                      tries.incrementAndGet();
                      throw refused;
                    },
                    EVERY,
                    Duration.ofSeconds(5)))
        .isSameAs(refused);
    assertThat(tries).hasValue(1);
  }

  @Test
  void callWhenTheOutageOutlastsTheTimeThenTheLastFailureIsThrown() {
    AtomicInteger tries = new AtomicInteger();
    assertThatThrownBy(
            () ->
                OutageRetry.call(
                    () -> {
                      tries.incrementAndGet();
                      throw new CannotGetJdbcConnectionException("down");
                    },
                    EVERY,
                    Duration.ofMillis(50)))
        .isInstanceOf(CannotGetJdbcConnectionException.class);
    assertThat(tries.get()).isBetween(2, 12);
    assertThat(OutageRetry.call(() -> "once", EVERY, Duration.ofNanos(-1))).isEqualTo("once");
  }

  @Test
  void callWhenInterruptedWhileWaitingThenTheFailureIsThrownAndTheThreadStaysInterrupted() {
    CannotGetJdbcConnectionException down = new CannotGetJdbcConnectionException("down");
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(
              () ->
                  OutageRetry.call(
                      () -> {
                        throw down;
                      },
                      Duration.ofSeconds(10),
                      Duration.ofMinutes(1)))
          .isSameAs(down);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }
}
