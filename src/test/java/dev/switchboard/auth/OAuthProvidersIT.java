package dev.switchboard.auth;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.switchboard.platform.integrations.Integration;
import dev.switchboard.testing.HttpTestClient;
import dev.switchboard.testing.TestAccounts;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sign-in end to end against real protocol servers: mock-oauth2-server as Google (OIDC discovery
 * through {@code GOOGLE_ISSUER_URI}, signed id tokens, PKCE, nonce) and WireMock as GitHub (its
 * documented authorize, token, {@code /user} and {@code /user/emails}).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OAuthProvidersIT {

  static final String APP = "https://app.example.com/signed-in";
  static final String GOOGLE_CLIENT = "google-client-id.apps.example.com";
  static final MockOAuth2Server google = new MockOAuth2Server();
  static final WireMockServer github = new WireMockServer(options().dynamicPort());

  static {
    google.start();
    github.start();
    // Stopped with the JVM rather than after the class: the PostgreSQL subclass runs against the
    // same servers.
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  google.shutdown();
                  github.stop();
                }));
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add(
        "SWITCHBOARD_DATA_DIR", () -> "target/it-data/oauth-providers-" + UUID.randomUUID());
    registry.add(
        "SWITCHBOARD_REDIRECT_ALLOWLIST", () -> "https://app.example.com,myapp://callback");
    registry.add("SWITCHBOARD_SIGN_IN_RATE_LIMIT", () -> "1000/min");
    registry.add("GOOGLE_CLIENT_ID", () -> GOOGLE_CLIENT);
    registry.add("GOOGLE_CLIENT_SECRET", () -> "google-secret-value");
    registry.add("GOOGLE_ISSUER_URI", () -> google.issuerUrl("google").toString());
    registry.add("GITHUB_CLIENT_ID", () -> "Iv1.github-client");
    registry.add("GITHUB_CLIENT_SECRET", () -> "github-secret-value");
    registry.add("GITHUB_BASE_URL", () -> github.baseUrl());
    registry.add("GITHUB_API_URL", () -> github.baseUrl() + "/api/v3");
  }

  @LocalServerPort int port;

  @Autowired JdbcClient jdbc;

  @Autowired List<Integration> integrations;

  final HttpClient browser =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  final JsonMapper json = JsonMapper.builder().build();
  HttpTestClient http;

  @BeforeEach
  void setUp() {
    http = new HttpTestClient(port);
    github.resetAll();
  }

  static Map<String, String> query(URI uri) {
    Map<String, String> params = new HashMap<>();
    String raw = uri.getRawQuery();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        params.put(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return params;
  }

  URI location(HttpResponse<?> response) {
    assertThat(response.statusCode()).as("redirect").isEqualTo(302);
    return URI.create(response.headers().firstValue("Location").orElseThrow());
  }

  /**
   * Our own URLs are built from SWITCHBOARD_PUBLIC_URL; the test reaches the same path on the
   * random port.
   */
  HttpResponse<String> followOwn(URI uri) {
    return http.get(uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
  }

  HttpResponse<String> browse(URI uri) throws Exception {
    return browser.send(
        HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  void googleWillSay(String subject, Map<String, Object> claims) {
    google.enqueueCallback(
        new DefaultOAuth2TokenCallback(
            "google", subject, "JWT", List.of(GOOGLE_CLIENT), claims, 3600));
  }

  /**
   * Login → mock Google (signs in at once) → our callback; answers where the callback sent the
   * browser.
   */
  URI signInWithGoogle(String redirectTo) throws Exception {
    URI authorize = location(http.get("/api/auth/login/google?redirect_to=" + redirectTo));
    assertThat(authorize.toString()).startsWith(google.issuerUrl("google").toString());
    Map<String, String> sent = query(authorize);
    assertThat(sent)
        .containsEntry("client_id", GOOGLE_CLIENT)
        .containsEntry("response_type", "code")
        .containsEntry("code_challenge_method", "S256")
        .containsKeys("state", "nonce", "code_challenge");
    assertThat(sent.get("scope").split(" "))
        .containsExactlyInAnyOrder("openid", "email", "profile");
    URI callback = location(browse(authorize));
    return location(followOwn(callback));
  }

  JsonNode exchange(String code) {
    HttpResponse<String> response = http.post("/api/auth/exchange", "{\"code\":\"" + code + "\"}");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
    return json.readTree(response.body());
  }

  @Test
  void googleWhenEmailVerifiedThenAccountCreatedAndCodeExchangedForSession() throws Exception {
    googleWillSay(
        "g-100",
        Map.of("email", "Ann.Google@example.com", "email_verified", true, "name", "Ann G"));

    URI back = signInWithGoogle(APP);

    assertThat(back.toString()).startsWith(APP + "?code=");
    assertThat(back.toString()).doesNotContain("access").doesNotContain("token");
    JsonNode session = exchange(query(back).get("code"));
    assertThat(session.path("accessToken").asString()).isNotBlank();
    assertThat(session.path("refreshToken").asString()).isNotBlank();
    assertThat(session.path("expiresIn").asLong()).isEqualTo(900);
    assertThat(session.path("user").path("email").asString()).isEqualTo("ann.google@example.com");
    assertThat(session.path("user").path("emailVerified").asBoolean()).isTrue();
    HttpResponse<String> me =
        http.get(
            "/api/auth/me", "Authorization", "Bearer " + session.path("accessToken").asString());
    assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
    assertThat(json.readTree(me.body()).path("email").asString())
        .isEqualTo("ann.google@example.com");

    HttpResponse<String> again =
        http.post("/api/auth/exchange", "{\"code\":\"" + query(back).get("code") + "\"}");
    assertThat(again.statusCode()).isEqualTo(400);
    assertThat(json.readTree(again.body()).path("code").asString()).isEqualTo("invalid_code");
  }

  @Test
  void googleWhenUnverifiedEmailMatchesExistingAccountThenNotLinkedAndNoCode() throws Exception {
    String existing = TestAccounts.create(jdbc, "victim@example.com");
    googleWillSay("g-attacker", Map.of("email", "victim@example.com", "email_verified", false));

    Map<String, String> back = query(signInWithGoogle(APP));

    assertThat(back).containsEntry("error", "email_in_use").doesNotContainKey("code");
    assertThat(
            jdbc.sql("SELECT COUNT(*) FROM identities WHERE account_id = ?")
                .param(existing)
                .query(Integer.class)
                .single())
        .isZero();
  }

  @Test
  void googleWhenAppUsesPkceThenExchangeNeedsTheVerifier() throws Exception {
    googleWillSay("g-200", Map.of("email", "pkce@example.com", "email_verified", true));
    String verifier = Pkce.random();
    URI authorize =
        location(
            http.get(
                "/api/auth/login/google?redirect_to=myapp://callback&code_challenge="
                    + Pkce.s256(verifier)
                    + "&code_challenge_method=S256"));
    URI back = location(followOwn(location(browse(authorize))));
    assertThat(back.toString()).startsWith("myapp://callback?code=");
    String code = query(back).get("code");

    HttpResponse<String> wrong =
        http.post(
            "/api/auth/exchange",
            "{\"code\":\"" + code + "\",\"code_verifier\":\"" + Pkce.random() + "\"}");
    assertThat(wrong.statusCode()).isEqualTo(400);
    assertThat(json.readTree(wrong.body()).path("code").asString())
        .isEqualTo("invalid_code_verifier");
  }

  @Test
  void loginWhenRedirectTargetNotAllowedThen400AndNoFlowStored() {
    int before = flows();
    for (String target :
        List.of(
            "https://evil.example",
            "https://app.example.com.evil.example",
            "https://user@evil.example",
            "//evil.example",
            "https://93.184.216.34/",
            "https://app.example.com%40evil.example",
            "https%3A%2F%2Fevil.example",
            "http://app.example.com/",
            "javascript:alert(1)")) {
      HttpResponse<String> response =
          http.get(
              "/api/auth/login/google?redirect_to="
                  + java.net.URLEncoder.encode(target, StandardCharsets.UTF_8));
      assertThat(response.statusCode()).as(target).isEqualTo(400);
      assertThat(json.readTree(response.body()).path("code").asString())
          .as(target)
          .isEqualTo("redirect_not_allowed");
    }
    assertThat(flows()).isEqualTo(before);
  }

  @Test
  void callbackWhenUnknownProviderThen404ErrorShape() {
    HttpResponse<String> response = http.get("/api/auth/callback/facebook?state=x&code=y");
    assertThat(response.statusCode()).isEqualTo(404);
    JsonNode body = json.readTree(response.body());
    assertThat(body.path("code").asString()).isEqualTo("unknown_provider");
    assertThat(body.path("requestId").asString()).isNotBlank();
    assertThat(http.get("/api/auth/login/facebook?redirect_to=" + APP).statusCode()).isEqualTo(404);
  }

  @Test
  void callbackWhenStateForgedMismatchedReusedOrCodeMissingThenJsonErrorsAndFlowUntouched()
      throws Exception {
    URI authorize = location(http.get("/api/auth/login/github?redirect_to=" + APP));
    String state = query(authorize).get("state");

    assertThat(errorCode(http.get("/api/auth/callback/github?state=forged&code=c")))
        .isEqualTo("bad_oauth_state");
    assertThat(errorCode(http.get("/api/auth/callback/github?code=c")))
        .isEqualTo("bad_oauth_state");
    assertThat(errorCode(http.get("/api/auth/callback/google?state=" + state + "&code=c")))
        .isEqualTo("bad_oauth_state");
    assertThat(errorCode(http.get("/api/auth/callback/github?state=" + state)))
        .isEqualTo("validation_failed");
    assertThat(
            jdbc.sql("SELECT COUNT(*) FROM oauth_flows WHERE state_hash = ?")
                .param(dev.switchboard.platform.apikeys.ApiKeyHash.of(state))
                .query(Integer.class)
                .single())
        .isEqualTo(1);

    stubGitHubUser(
        901, List.of(Map.of("email", "octo@example.com", "primary", true, "verified", true)));
    assertThat(
            location(http.get("/api/auth/callback/github?state=" + state + "&code=good"))
                .toString())
        .startsWith(APP + "?code=");
    assertThat(errorCode(http.get("/api/auth/callback/github?state=" + state + "&code=good")))
        .isEqualTo("bad_oauth_state");
  }

  @Test
  void callbackWhenStateExpiredThenBackToAppWithFlowStateExpired() {
    URI authorize = location(http.get("/api/auth/login/github?redirect_to=" + APP));
    jdbc.sql("UPDATE oauth_flows SET expires_at = ? WHERE state_hash = ?")
        .params(
            OffsetDateTime.now().minusSeconds(1),
            dev.switchboard.platform.apikeys.ApiKeyHash.of(query(authorize).get("state")))
        .update();

    URI back =
        location(
            http.get(
                "/api/auth/callback/github?state=" + query(authorize).get("state") + "&code=c"));

    assertThat(query(back)).containsEntry("error", "flow_state_expired");
    github.verify(0, postRequestedFor(urlPathEqualTo("/login/oauth/access_token")));
  }

  @Test
  void githubWhenPrimaryVerifiedEmailThenSignsInWithDocumentedRequests() throws Exception {
    URI authorize = location(http.get("/api/auth/login/github?redirect_to=" + APP));
    assertThat(authorize.toString()).startsWith(github.baseUrl() + "/login/oauth/authorize?");
    Map<String, String> sent = query(authorize);
    assertThat(sent)
        .containsEntry("client_id", "Iv1.github-client")
        .containsEntry("scope", "read:user user:email")
        .containsEntry("redirect_uri", "http://localhost:8080/api/auth/callback/github")
        .containsEntry("code_challenge_method", "S256")
        .containsKey("state")
        .doesNotContainKey("nonce");
    stubGitHubUser(
        4242,
        List.of(
            Map.of("email", "old@example.com", "primary", false, "verified", true),
            Map.of("email", "Octo@Example.com", "primary", true, "verified", true)));

    URI back =
        location(http.get("/api/auth/callback/github?code=gh-code-1&state=" + sent.get("state")));

    JsonNode session = exchange(query(back).get("code"));
    assertThat(session.path("user").path("email").asString()).isEqualTo("octo@example.com");
    HttpResponse<String> me =
        http.get(
            "/api/auth/me", "Authorization", "Bearer " + session.path("accessToken").asString());
    assertThat(json.readTree(me.body()).path("email").asString()).isEqualTo("octo@example.com");
    github.verify(
        postRequestedFor(urlPathEqualTo("/login/oauth/access_token"))
            .withHeader("Accept", containing("application/json"))
            .withRequestBody(containing("client_id=Iv1.github-client"))
            .withRequestBody(containing("client_secret=github-secret-value"))
            .withRequestBody(containing("code=gh-code-1"))
            .withRequestBody(containing("code_verifier="))
            .withRequestBody(
                containing(
                    "redirect_uri=http%3A%2F%2Flocalhost%3A8080%2Fapi%2Fauth%2Fcallback%2Fgithub")));
    github.verify(
        getRequestedFor(urlPathEqualTo("/api/v3/user"))
            .withHeader("Authorization", equalTo("Bearer gho_test_token"))
            .withHeader("X-GitHub-Api-Version", equalTo("2022-11-28")));
    github.verify(
        getRequestedFor(urlPathEqualTo("/api/v3/user/emails"))
            .withHeader("Authorization", equalTo("Bearer gho_test_token")));
  }

  @Test
  void githubWhenNoVerifiedEmailThenEmailAddressNotProvided() {
    URI authorize = location(http.get("/api/auth/login/github?redirect_to=" + APP));
    stubGitHubUser(
        5151,
        List.of(Map.of("email", "unverified@example.com", "primary", true, "verified", false)));

    URI back =
        location(
            http.get("/api/auth/callback/github?code=c&state=" + query(authorize).get("state")));

    assertThat(query(back))
        .containsEntry("error", "email_address_not_provided")
        .doesNotContainKey("code");
    assertThat(
            jdbc.sql("SELECT COUNT(*) FROM accounts WHERE email = 'unverified@example.com'")
                .query(Integer.class)
                .single())
        .isZero();
  }

  @Test
  void githubWhenUserDeniesThenBackToAppWithPermissionRequired() {
    URI authorize = location(http.get("/api/auth/login/github?redirect_to=" + APP));

    URI back =
        location(
            http.get(
                "/api/auth/callback/github?error=access_denied&error_description=The+user+has+denied"
                    + "&state="
                    + query(authorize).get("state")));

    assertThat(back.toString())
        .isEqualTo(APP + "?error=access_denied&error_description=Permission%20required");
  }

  @Test
  void githubWhenCodeRefusedThenRestartsOnceWithSameRedirectThenGivesUp() {
    github.stubFor(
        post(urlPathEqualTo("/login/oauth/access_token"))
            .willReturn(
                okJson(
                    "{\"error\":\"bad_verification_code\",\"error_description\":\"The code passed is incorrect or expired.\"}")));
    URI authorize = location(http.get("/api/auth/login/github?redirect_to=" + APP));

    URI restart =
        location(
            http.get(
                "/api/auth/callback/github?code=stale&state=" + query(authorize).get("state")));
    assertThat(restart.getPath()).isEqualTo("/api/auth/login/github");
    assertThat(query(restart)).containsEntry("redirect_to", APP).containsEntry("attempt", "2");

    URI second = location(followOwn(restart));
    URI back =
        location(
            http.get(
                "/api/auth/callback/github?code=stale-again&state=" + query(second).get("state")));
    assertThat(query(back)).containsEntry("error", "invalid_grant");
    assertThat(back.toString()).startsWith(APP + "?");
  }

  @Test
  void githubWhenDownThenBackToAppWithProviderUnavailable() {
    github.stubFor(
        post(urlPathEqualTo("/login/oauth/access_token")).willReturn(aResponse().withStatus(503)));
    URI authorize = location(http.get("/api/auth/login/github?redirect_to=" + APP));

    URI back =
        location(
            http.get("/api/auth/callback/github?code=c&state=" + query(authorize).get("state")));

    assertThat(query(back)).containsEntry("error", "provider_unavailable");
  }

  @Test
  void integrationsWhenConfiguredThenLiveWithMaskedSecretsAndHealthyChecks() throws Exception {
    github.stubFor(get(urlPathEqualTo("/api/v3/")).willReturn(okJson("{}")));
    Integration googleBox =
        integrations.stream().filter(i -> i.id().equals("auth.google")).findFirst().orElseThrow();
    Integration githubBox =
        integrations.stream().filter(i -> i.id().equals("auth.github")).findFirst().orElseThrow();
    assertThat(googleBox.provider()).isEqualTo("google");
    assertThat(googleBox.mode()).isEqualTo(Integration.Mode.LIVE);
    assertThat(googleBox.maskedConfig().toString()).doesNotContain("google-secret-value");
    assertThat(githubBox.maskedConfig().toString()).doesNotContain("github-secret-value");
    assertThat(googleBox.healthCheck().check().status().id()).isEqualTo("up");
    assertThat(githubBox.healthCheck().check().status().id()).isEqualTo("up");
  }

  void stubGitHubUser(long id, List<Map<String, Object>> emails) {
    github.stubFor(
        post(urlPathEqualTo("/login/oauth/access_token"))
            .willReturn(
                okJson(
                    "{\"access_token\":\"gho_test_token\",\"token_type\":\"bearer\",\"scope\":\"read:user,user:email\"}")));
    github.stubFor(
        get(urlPathEqualTo("/api/v3/user"))
            .willReturn(
                okJson(
                    "{\"login\":\"octocat\",\"id\":"
                        + id
                        + ",\"name\":\"The Octocat\",\"email\":null}")));
    github.stubFor(
        get(urlPathEqualTo("/api/v3/user/emails"))
            .willReturn(okJson(json.writeValueAsString(emails))));
  }

  String errorCode(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isBetween(400, 499);
    return json.readTree(response.body()).path("code").asString();
  }

  int flows() {
    return jdbc.sql("SELECT COUNT(*) FROM oauth_flows").query(Integer.class).single();
  }
}
