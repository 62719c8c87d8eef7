package dev.switchboard.platform.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RedirectTargetsTest {

  private final RedirectTargets production =
      new RedirectTargets(
          URI.create("https://api.example.com"),
          List.of(
              URI.create("https://app.example.com"),
              URI.create("http://staging.example.com:8080"),
              URI.create("com.example.app:/"),
              URI.create("otherapp://callback")),
          false);
  private final RedirectTargets development =
      new RedirectTargets(
          URI.create("http://localhost:8080"),
          List.of(URI.create("https://app.example.com")),
          true);

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://app.example.com",
        "https://app.example.com/",
        "https://app.example.com/after?x=1#top",
        "HTTPS://APP.EXAMPLE.COM/path",
        "https://app.example.com:443/p",
        "https://api.example.com/done",
        "http://staging.example.com:8080/cb",
        "com.example.app://auth/done",
        "com.example.app:/oauth2redirect",
        "otherapp://callback/x"
      })
  void checkWhenTargetMatchesAListedOriginThenAllowsIt(String target) {
    assertThat(production.check(target, "redirect_to")).isEqualTo(URI.create(target));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://evil.example",
        "https://app.example.com.evil.example/",
        "https://user@evil.example",
        "https://app.example.com@evil.example",
        "//evil.example",
        "/relative",
        "https://evil.example/https://app.example.com",
        "http://app.example.com",
        "https://app.example.com:8443",
        "https://93.184.216.34/",
        "https://[::1]/",
        "https://app.example.com%2eevil.example",
        "https://app%2Eexample.com",
        "https:\\\\evil.example",
        "https://app.example.com\\@evil.example",
        "javascript:alert(1)",
        "data:text/html,x",
        "https://app.example.com\t.evil",
        "https://аpp.example.com",
        "http://localhost:3000/cb",
        "http://127.0.0.1:5173",
        "unlisted://x",
        "otherapp://elsewhere",
        "",
        "http:evil.example",
        "https:/evil.example"
      })
  void checkWhenTargetIsNotExactlyAllowedThenRefuses(String target) {
    assertThatThrownBy(() -> production.check(target, "redirect_to"))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.code()).isEqualTo("redirect_not_allowed");
              assertThat(e.getMessage()).doesNotContain("evil");
            });
    assertThat(production.allows(target)).isFalse();
  }

  @Test
  void checkWhenMissingThenRefuses() {
    assertThatThrownBy(() -> production.check(null, "successUrl"))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.field()).contains("successUrl"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://localhost:3000/cb",
        "http://127.0.0.1:5173",
        "http://[::1]:9000/x",
        "http://localhost:8080/admin"
      })
  void checkInDevelopmentWhenLoopbackOnAnyPortThenAllows(String target) {
    assertThat(development.allows(target)).isTrue();
  }

  @Test
  void checkInDevelopmentWhenLoopbackLookalikeThenRefuses() {
    assertThat(development.allows("http://localhost.evil.example:3000")).isFalse();
    assertThat(development.allows("http://127.0.0.1.nip.io")).isFalse();
  }
}
