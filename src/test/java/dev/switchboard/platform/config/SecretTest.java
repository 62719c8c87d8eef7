package dev.switchboard.platform.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretTest {

  @Test
  void toStringWhenAnyValueThenStars() {
    assertThat(Secret.of("sk_live_abcdefghijklmnopqrstuvwxyz")).hasToString("****");
  }

  @Test
  void maskedWhenLongKeyWithKnownPrefixThenPrefixAndLastFour() {
    assertThat(Secret.of("sk_test_51Habcdefghijklmnop1234").masked()).isEqualTo("sk_test_…1234");
    assertThat(Secret.of("SG.abcdefghijklmnopqrstuvwxyz9876").masked()).isEqualTo("…9876");
  }

  @Test
  void maskedWhenShortThenNothingShown() {
    assertThat(Secret.of("sk_test_1234567").masked()).isEqualTo("****");
  }

  @Test
  void maskedUrlWhenCredentialsInUserInfoOrPathThenHidden() {
    assertThat(Secret.of("redis://:hunter2@cache.internal:6379").maskedUrl())
        .isEqualTo("redis://****@cache.internal:6379");
    assertThat(Secret.of("https://hooks.slack.com/services/T000/B000/XXXX").maskedUrl())
        .isEqualTo("https://hooks.slack.com/…");
  }

  @Test
  void matchesWhenSameValueThenTrueOtherwiseFalse() {
    Secret secret = Secret.of("abc");
    assertThat(secret.matches("abc")).isTrue();
    assertThat(secret.matches("abd")).isFalse();
    assertThat(secret.matches(null)).isFalse();
  }
}
