package dev.switchboard.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class PasswordResetJobTest {

  @Test
  void startDelayWhenUniformAtEitherEndOrMiddleThenOneToFiveSeconds() {
    assertThat(PasswordResetJob.startDelay(0)).isEqualTo(Duration.ofSeconds(1));
    assertThat(PasswordResetJob.startDelay(0.5)).isEqualTo(Duration.ofSeconds(3));
    assertThat(PasswordResetJob.startDelay(Math.nextDown(1.0))).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void startDelayWhenUniformOutsideUnitIntervalThenRefused() {
    assertThatThrownBy(() -> PasswordResetJob.startDelay(1.0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PasswordResetJob.startDelay(-0.1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void randomStartDelayWhenGeneratorGivesAQuarterThenTwoSeconds() {
    RandomGenerator quarter =
        new RandomGenerator() {
          @Override
          public long nextLong() {
            throw new UnsupportedOperationException();
          }

          @Override
          public double nextDouble() {
            return 0.25;
          }
        };

    assertThat(PasswordResetJob.randomStartDelay(quarter).get()).isEqualTo(Duration.ofSeconds(2));
  }
}
