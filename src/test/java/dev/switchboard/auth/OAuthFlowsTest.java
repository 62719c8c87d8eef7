package dev.switchboard.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.platform.apikeys.ApiKeyHash;
import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.platform.http.ApiException;
import dev.switchboard.platform.http.RedirectTargets;
import dev.switchboard.testing.ManualClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.util.UriComponentsBuilder;

class OAuthFlowsTest {

  static final String APP = "https://app.example.com/signed-in";
  static final ClientInfo CLIENT = new ClientInfo("203.0.113.9", "test");

  final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T10:00:00Z"));
  final InMemoryOAuthFlowStore store = new InMemoryOAuthFlowStore();
  final FakeSignIn accounts = new FakeSignIn();
  final ScriptedOAuthProvider google = new ScriptedOAuthProvider("google");
  final ScriptedOAuthProvider github = new ScriptedOAuthProvider("github");
  OAuthFlows flows;

  @BeforeEach
  void setUp() {
    SwitchboardConfig config =
        SwitchboardConfig.load(
            Map.of(
                    "SWITCHBOARD_PUBLIC_URL", "https://auth.example.com",
                    "SWITCHBOARD_REDIRECT_ALLOWLIST", "https://app.example.com,myapp://callback",
                    "SWITCHBOARD_DATA_DIR", "target/unit-data/oauth")
                ::get);
    flows =
        new OAuthFlows(
            new OAuthProviders(List.of(google, github)),
            store,
            accounts,
            accounts,
            accounts,
            new RedirectTargets(config.core()),
            config.core().publicUrl(),
            clock);
  }

  static ProviderProfile profile(String provider, String subject, String email, boolean verified) {
    return new ProviderProfile(
        provider, subject, Optional.ofNullable(email), verified, Optional.of("Ann"));
  }

  static Map<String, String> query(URI uri) {
    Map<String, String> params = new HashMap<>();
    UriComponentsBuilder.fromUri(uri)
        .build()
        .getQueryParams()
        .forEach(
            (k, v) ->
                params.put(
                    k,
                    v.get(0) == null
                        ? null
                        : java.net.URLDecoder.decode(
                            v.get(0), java.nio.charset.StandardCharsets.UTF_8)));
    return params;
  }

  String startGoogle() {
    flows.start("google", APP, null, null, 1);
    return google.started.get(google.started.size() - 1).state();
  }

  @Test
  void startWhenRedirectAllowedThenStoresOneFlowByStateHashForTenMinutes() {
    URI to = flows.start("google", APP, null, null, 1);

    OAuthRequest request = google.started.get(0);
    assertThat(to.toString()).startsWith("https://idp.example.com/authorize");
    assertThat(request.redirectUri())
        .hasToString("https://auth.example.com/api/auth/callback/google");
    assertThat(List.of(request.state(), request.codeVerifier(), request.nonce()))
        .doesNotHaveDuplicates()
        .allSatisfy(v -> assertThat(v).hasSize(43));
    OAuthFlow flow = store.flows.get(ApiKeyHash.of(request.state()));
    assertThat(flow.redirectTo()).isEqualTo(APP);
    assertThat(flow.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(10)));
    assertThat(store.flows).doesNotContainKey(request.state());
  }

  @Test
  void startWhenTwoTabsThenTwoIndependentFlows() {
    String first = startGoogle();
    String second = startGoogle();
    google
        .answer(profile("google", "g1", "ann@example.com", true))
        .answer(profile("google", "g1", "ann@example.com", true));

    assertThat(query(flows.callback("google", Map.of("state", second, "code", "c2"))))
        .containsKey("code");
    assertThat(query(flows.callback("google", Map.of("state", first, "code", "c1"))))
        .containsKey("code");
  }

  @Test
  void startWhenRedirectNotAllowedThenRefusedAndNothingStored() {
    for (String target :
        List.of(
            "https://evil.example",
            "https://app.example.com.evil.example/x",
            "https://user@evil.example",
            "//evil.example",
            "https://93.184.216.34/",
            "https://app.example.com%2e.evil.example",
            "javascript:alert(1)",
            "")) {
      assertThatThrownBy(() -> flows.start("google", target, null, null, 1))
          .as(target)
          .isInstanceOfSatisfying(
              ApiException.class, e -> assertThat(e.code()).isEqualTo("redirect_not_allowed"));
    }
    assertThat(store.flows).isEmpty();
  }

  @Test
  void startWhenChallengeMalformedOrPlainThenValidationFailed() {
    String challenge = Pkce.s256(Pkce.random());
    assertThatThrownBy(() -> flows.start("google", APP, challenge, "plain", 1))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.code()).isEqualTo("validation_failed"));
    assertThatThrownBy(() -> flows.start("google", APP, "short", "S256", 1))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.code()).isEqualTo("validation_failed"));
    assertThat(store.flows).isEmpty();
  }

  @Test
  void startWhenUnknownProviderThen404() {
    assertThatThrownBy(() -> flows.start("facebook", APP, null, null, 1))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(404);
              assertThat(e.code()).isEqualTo("unknown_provider");
            });
  }

  @Test
  void callbackWhenCodeValidThenAppGetsOneTimeCodeThatOpensOneSession() {
    String state = startGoogle();
    google.answer(profile("google", "g1", "ann@example.com", true));

    URI back = flows.callback("google", Map.of("state", state, "code", "provider-code"));

    assertThat(back.toString()).startsWith(APP + "?code=");
    assertThat(google.exchangedCodes).containsExactly("provider-code");
    String code = query(back).get("code");
    SessionTokens tokens = flows.exchange(code, null, CLIENT);
    assertThat(tokens.user().email()).isEqualTo("ann@example.com");
    assertThat(accounts.opened).containsExactly(tokens.user().id() + ":google");
    assertThat(store.codes).isEmpty();
    assertThat(store.codes.keySet()).doesNotContain(code);
  }

  @Test
  void callbackWhenStateReusedThenBadOauthState() {
    String state = startGoogle();
    google.answer(profile("google", "g1", "ann@example.com", true));
    flows.callback("google", Map.of("state", state, "code", "c"));

    assertThatThrownBy(() -> flows.callback("google", Map.of("state", state, "code", "c")))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.code()).isEqualTo("bad_oauth_state"));
    assertThat(google.exchangedCodes).hasSize(1);
  }

  @Test
  void callbackWhenStateMissingUnknownOrForAnotherProviderThenBadOauthStateAndFlowKept() {
    String state = startGoogle();
    for (Map<String, String> params :
        List.of(Map.of("code", "c"), Map.of("state", "forged", "code", "c"))) {
      assertThatThrownBy(() -> flows.callback("google", params))
          .isInstanceOfSatisfying(
              ApiException.class, e -> assertThat(e.code()).isEqualTo("bad_oauth_state"));
    }
    assertThatThrownBy(() -> flows.callback("github", Map.of("state", state, "code", "c")))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.code()).isEqualTo("bad_oauth_state"));
    assertThat(store.flows).hasSize(1);
    assertThat(google.exchangedCodes).isEmpty();
  }

  @Test
  void callbackWhenCodeMissingThenValidationFailedAndFlowKept() {
    String state = startGoogle();
    assertThatThrownBy(() -> flows.callback("google", Map.of("state", state)))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.code()).isEqualTo("validation_failed"));
    assertThat(store.flows).hasSize(1);
  }

  @Test
  void callbackWhenFlowOlderThanTenMinutesThenBackToAppWithFlowStateExpired() {
    String state = startGoogle();
    clock.advance(Duration.ofMinutes(10));

    Map<String, String> back = query(flows.callback("google", Map.of("state", state, "code", "c")));

    assertThat(back).containsEntry("error", "flow_state_expired");
    assertThat(google.exchangedCodes).isEmpty();
    assertThat(store.flows).isEmpty();
  }

  @Test
  void callbackWhenAccessDeniedThenBackToAppWithPermissionRequired() {
    String state = startGoogle();

    URI back = flows.callback("google", Map.of("state", state, "error", "access_denied"));

    assertThat(back.toString())
        .isEqualTo(APP + "?error=access_denied&error_description=Permission%20required");
  }

  @Test
  void callbackWhenInvalidGrantThenRestartsOnceThenGivesUp() {
    String challenge = Pkce.s256(Pkce.random());
    flows.start("google", APP, challenge, "S256", 1);
    google.fail("invalid_grant", 400).fail("invalid_grant", 400);

    URI restart =
        flows.callback("google", Map.of("state", google.started.get(0).state(), "code", "old"));

    assertThat(restart.getPath()).isEqualTo("/api/auth/login/google");
    Map<String, String> login = query(restart);
    assertThat(login)
        .containsEntry("redirect_to", APP)
        .containsEntry("attempt", "2")
        .containsEntry("code_challenge", challenge)
        .containsEntry("code_challenge_method", "S256");

    flows.start("google", login.get("redirect_to"), login.get("code_challenge"), "S256", 2);
    URI back =
        flows.callback(
            "google", Map.of("state", google.started.get(1).state(), "code", "old-again"));
    assertThat(query(back)).containsEntry("error", "invalid_grant");
    assertThat(back.toString()).startsWith(APP + "?");
  }

  @Test
  void callbackWhenProviderDownThenBackToAppWithProviderUnavailable() {
    String state = startGoogle();
    google.fail("provider_unavailable", 502);
    assertThat(query(flows.callback("google", Map.of("state", state, "code", "c"))))
        .containsEntry("error", "provider_unavailable");
  }

  @Test
  void callbackWhenUnverifiedEmailMatchesExistingAccountThenNotLinked() {
    Account existing = accounts.add("ann@example.com", true);
    String state = startGoogle();
    google.answer(profile("google", "attacker", "ann@example.com", false));

    Map<String, String> back = query(flows.callback("google", Map.of("state", state, "code", "c")));

    assertThat(back).containsEntry("error", "email_in_use").doesNotContainKey("code");
    assertThat(accounts.identities).doesNotContainValue(existing.id());
    assertThat(store.codes).isEmpty();
  }

  @Test
  void callbackWhenNoVerifiedEmailForNewAccountThenEmailAddressNotProvided() {
    String state = startGoogle();
    google.answer(profile("google", "g2", null, false));
    assertThat(query(flows.callback("google", Map.of("state", state, "code", "c"))))
        .containsEntry("error", "email_address_not_provided");
  }

  @Test
  void exchangeWhenCodeReusedOrExpiredThenInvalidCode() {
    String state = startGoogle();
    google.answer(profile("google", "g1", "ann@example.com", true));
    String code = query(flows.callback("google", Map.of("state", state, "code", "c"))).get("code");
    flows.exchange(code, null, CLIENT);

    assertThatThrownBy(() -> flows.exchange(code, null, CLIENT))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.code()).isEqualTo("invalid_code"));

    String state2 = startGoogle();
    google.answer(profile("google", "g1", "ann@example.com", true));
    String late = query(flows.callback("google", Map.of("state", state2, "code", "c"))).get("code");
    clock.advance(Duration.ofSeconds(60));
    assertThatThrownBy(() -> flows.exchange(late, null, CLIENT))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.code()).isEqualTo("invalid_code"));
    assertThat(accounts.opened).hasSize(1);
  }

  @Test
  void exchangeWhenAppUsedPkceThenVerifierRequired() {
    String verifier = Pkce.random();
    flows.start("google", APP, Pkce.s256(verifier), "S256", 1);
    google
        .answer(profile("google", "g1", "ann@example.com", true))
        .answer(profile("google", "g1", "ann@example.com", true));
    String code =
        query(flows.callback("google", Map.of("state", google.started.get(0).state(), "code", "c")))
            .get("code");

    assertThatThrownBy(() -> flows.exchange(code, Pkce.random(), CLIENT))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.code()).isEqualTo("invalid_code_verifier"));
    assertThat(accounts.opened).isEmpty();

    flows.start("google", APP, Pkce.s256(verifier), "S256", 1);
    String second =
        query(flows.callback("google", Map.of("state", google.started.get(1).state(), "code", "c")))
            .get("code");
    assertThat(flows.exchange(second, verifier, CLIENT).accessToken()).isNotBlank();
  }

  @Test
  void startLinkWhenCallbackThenNothingLinkedUntilTheSameAccountCompletesWithTheLinkCode() {
    Account ann = accounts.add("ann@example.com", true);
    flows.startLink("github", ann.id(), APP);
    github.answer(profile("github", "12345", null, false));

    Map<String, String> back =
        query(
            flows.callback("github", Map.of("state", github.started.get(0).state(), "code", "c")));

    assertThat(back)
        .containsEntry("provider", "github")
        .containsKey("link_code")
        .doesNotContainKey("code");
    assertThat(accounts.identities).doesNotContainKey("github:12345");
    assertThatThrownBy(() -> flows.completeLink("google", back.get("link_code"), ann.id()))
        .isInstanceOfSatisfying(
            AuthException.class, e -> assertThat(e.code()).isEqualTo("invalid_code"));

    flows.startLink("github", ann.id(), APP);
    github.answer(profile("github", "12345", null, false));
    String code =
        query(flows.callback("github", Map.of("state", github.started.get(1).state(), "code", "c")))
            .get("link_code");
    assertThat(flows.completeLink("github", code, ann.id()).id()).isEqualTo(ann.id());
    assertThat(accounts.identities).containsEntry("github:12345", ann.id());
    assertThat(accounts.opened).isEmpty();
    assertThatThrownBy(() -> flows.completeLink("github", code, ann.id()))
        .isInstanceOfSatisfying(
            AuthException.class, e -> assertThat(e.code()).isEqualTo("invalid_code"));
  }

  @Test
  void completeLinkWhenAnotherAccountStartedTheLinkThen403AndNothingLinked() {
    Account attacker = accounts.add("mallory@example.com", true);
    Account victim = accounts.add("ann@example.com", true);
    flows.startLink("google", attacker.id(), APP);
    google.answer(profile("google", "victim-sub", "ann@example.com", true));
    // The victim's browser comes back from Google with the attacker's state.
    String code =
        query(flows.callback("google", Map.of("state", google.started.get(0).state(), "code", "c")))
            .get("link_code");

    assertThatThrownBy(() -> flows.completeLink("google", code, victim.id()))
        .isInstanceOfSatisfying(
            AuthException.class,
            e -> {
              assertThat(e.status()).isEqualTo(403);
              assertThat(e.code()).isEqualTo("link_account_mismatch");
            });
    assertThat(accounts.identities).doesNotContainKey("google:victim-sub");
    assertThatThrownBy(() -> flows.completeLink("google", code, attacker.id()))
        .isInstanceOfSatisfying(
            AuthException.class, e -> assertThat(e.code()).isEqualTo("invalid_code"));
    assertThat(accounts.identities).doesNotContainKey("google:victim-sub");
  }

  @Test
  void exchangeWhenGivenALinkCodeThenInvalidCodeAndNoSession() {
    Account ann = accounts.add("ann@example.com", true);
    flows.startLink("github", ann.id(), APP);
    github.answer(profile("github", "12345", null, false));
    String code =
        query(flows.callback("github", Map.of("state", github.started.get(0).state(), "code", "c")))
            .get("link_code");

    assertThatThrownBy(() -> flows.exchange(code, null, CLIENT))
        .isInstanceOfSatisfying(
            AuthException.class, e -> assertThat(e.code()).isEqualTo("invalid_code"));
    assertThat(accounts.opened).isEmpty();
  }
}
