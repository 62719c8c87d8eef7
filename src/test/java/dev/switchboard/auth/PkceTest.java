package dev.switchboard.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PkceTest {

  /** RFC 7636 Appendix B. */
  static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

  static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

  @Test
  void s256WhenRfcExampleVerifierThenRfcExampleChallenge() {
    assertThat(Pkce.s256(VERIFIER)).isEqualTo(CHALLENGE);
    assertThat(Pkce.matches(VERIFIER, CHALLENGE)).isTrue();
  }

  @Test
  void matchesWhenVerifierWrongShortOrMissingThenFalse() {
    assertThat(Pkce.matches(Pkce.random(), CHALLENGE)).isFalse();
    assertThat(Pkce.matches("short", Pkce.s256("short"))).isFalse();
    assertThat(Pkce.matches(null, CHALLENGE)).isFalse();
    assertThat(Pkce.matches(VERIFIER, null)).isFalse();
  }

  @Test
  void randomWhenCalledThenUrlSafe43CharactersAndNeverRepeated() {
    assertThat(Pkce.random()).matches("^[A-Za-z0-9_-]{43}$").isNotEqualTo(Pkce.random());
    assertThat(Pkce.validVerifier(Pkce.random())).isTrue();
    assertThat(Pkce.validChallenge(Pkce.s256(Pkce.random()))).isTrue();
  }

  @Test
  void withParamsWhenTargetHasQueryAndFragmentThenParamsGoBetweenThemEncoded() {
    URI uri =
        Redirects.withParams(
            "https://app.example.com/cb?tab=1#top",
            Map.of("error", "access_denied", "error_description", "Permission required & more"));
    assertThat(uri)
        .hasToString(
            "https://app.example.com/cb?tab=1&error=access_denied&error_description=Permission%20required%20%26%20more#top");
    assertThat(Redirects.withParams("myapp://callback", Map.of("code", "a-b_c")))
        .hasToString("myapp://callback?code=a-b_c");
  }
}
