package dev.switchboard.platform.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.platform.config.Rate;
import org.junit.jupiter.api.Test;

class RateLimitRuleTest {

  @Test
  void appliesToWhenPlainPrefixThenStartsWith() {
    RateLimitRule rule =
        new RateLimitRule("files.presign", "/api/files/presign", Rate.parse("1/s"));
    assertThat(rule.appliesTo("/api/files/presign")).isTrue();
    assertThat(rule.appliesTo("/api/files/x")).isFalse();
  }

  @Test
  void appliesToWhenStarThenOneNonEmptySegment() {
    RateLimitRule rule =
        new RateLimitRule("files.complete", "/api/files/*/complete", Rate.parse("1/s"));
    assertThat(rule.appliesTo("/api/files/file_1/complete")).isTrue();
    assertThat(rule.appliesTo("/api/files/file_1/complete/more")).isTrue();
    assertThat(rule.appliesTo("/api/files//complete")).isFalse();
    assertThat(rule.appliesTo("/api/files/a/b/complete")).isFalse();
    assertThat(rule.appliesTo("/api/files/file_1")).isFalse();
    assertThat(rule.appliesTo("/api/files/presign")).isFalse();
  }
}
