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

  @Test
  void appliesToWhenStarsAnywhereThenAsTheSegmentRuleSays() {
    String[] prefixes = {
      "/api/files/*/complete", "/api/*", "/api/*/", "/*/x", "/api/**", "/api/*/*/y", "/a*b", "/"
    };
    String[] paths = {
      "/api/files/file_1/complete",
      "/api/files//complete",
      "/api/files/f",
      "/api",
      "/api/",
      "/api/a",
      "/api/a/",
      "/api/a/b/y",
      "/api/a//y",
      "/x/x",
      "//x",
      "/ab",
      "/a/b",
      "/acb",
      ""
    };
    for (String prefix : prefixes) {
      RateLimitRule rule = new RateLimitRule("test", prefix, Rate.parse("1/s"));
      for (String path : paths) {
        assertThat(rule.appliesTo(path))
            .as(prefix + " on " + path)
            .isEqualTo(bySplit(prefix, path));
      }
    }
  }

  /** The rule as first written: the prefix split at each star. */
  private static boolean bySplit(String pathPrefix, String path) {
    if (pathPrefix.indexOf('*') < 0) {
      return path.startsWith(pathPrefix);
    }
    String[] parts = pathPrefix.split("\\*", -1);
    int at = 0;
    for (int i = 0; i < parts.length; i++) {
      if (!path.startsWith(parts[i], at)) {
        return false;
      }
      at += parts[i].length();
      if (i < parts.length - 1) {
        int end = path.indexOf('/', at);
        if (end == at || end < 0 && !parts[i + 1].isEmpty()) {
          return false;
        }
        at = end < 0 ? path.length() : end;
      }
    }
    return true;
  }
}
