package dev.switchboard.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.platform.integrations.Integration;
import dev.switchboard.testing.HttpTestClient;
import dev.switchboard.testing.TestAccounts;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
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
 * The dev identity provider's real OAuth endpoints, driven over HTTP the way the browser and our
 * client use them.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DevIdentityProviderIT {

  static final String APP = "http://localhost:3000/after-sign-in";

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("SWITCHBOARD_DATA_DIR", () -> "target/it-data/dev-idp-" + UUID.randomUUID());
    registry.add("SWITCHBOARD_SIGN_IN_RATE_LIMIT", () -> "1000/min");
  }

  @LocalServerPort int port;

  @Autowired JdbcClient jdbc;

  @Autowired List<Integration> integrations;

  final JsonMapper json = JsonMapper.builder().build();
  HttpTestClient http;

  @BeforeEach
  void setUp() {
    http = new HttpTestClient(port);
  }

  URI location(HttpResponse<?> response) {
    assertThat(response.statusCode()).as(response.body() + "").isEqualTo(302);
    return URI.create(response.headers().firstValue("Location").orElseThrow());
  }

  String own(URI uri) {
    return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
  }

  HttpResponse<String> postForm(String path, Map<String, String> form) {
    String body =
        form.entrySet().stream()
            .map(
                e ->
                    URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                        + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    return http.send(
        HttpRequest.newBuilder(URI.create(http.base() + path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  /**
   * Starts a login and answers the dev page's form: the OAuth parameters it carries as hidden
   * fields.
   */
  Map<String, String> openDevPage(String provider) {
    URI authorize = location(http.get("/api/auth/login/" + provider + "?redirect_to=" + APP));
    assertThat(authorize.getPath()).isEqualTo("/dev/oauth/" + provider + "/authorize");
    HttpResponse<String> page = http.get(own(authorize));
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body())
        .contains("<form method=\"post\" action=\"/dev/oauth/" + provider + "/authorize\"")
        .contains("name=\"email\"")
        .contains("name=\"decision\" value=\"allow\"");
    return new LinkedHashMap<>(OAuthProvidersIT.query(authorize));
  }

  URI submit(String provider, Map<String, String> oauth, Map<String, String> fields) {
    Map<String, String> form = new LinkedHashMap<>(oauth);
    form.putAll(fields);
    return location(postForm("/dev/oauth/" + provider + "/authorize", form));
  }

  @Test
  void signInWhenAllowedOnDevPageThenCallbackCodeExchangeAndMeWork() {
    Map<String, String> oauth = openDevPage("github");
    URI callback =
        submit(
            "github",
            oauth,
            Map.of(
                "email",
                "Dev.User@Example.com",
                "name",
                "Dev User",
                "email_verified",
                "true",
                "decision",
                "allow"));
    assertThat(callback.getPath()).isEqualTo("/api/auth/callback/github");
    assertThat(OAuthProvidersIT.query(callback))
        .containsEntry("state", oauth.get("state"))
        .containsKey("code");

    URI back = location(http.get(own(callback)));
    assertThat(back.toString()).startsWith(APP + "?code=");
    HttpResponse<String> exchanged =
        http.post(
            "/api/auth/exchange",
            "{\"code\":\"" + OAuthProvidersIT.query(back).get("code") + "\"}");
    assertThat(exchanged.statusCode()).as(exchanged.body()).isEqualTo(200);
    String access = json.readTree(exchanged.body()).path("accessToken").asString();
    JsonNode me =
        json.readTree(http.get("/api/auth/me", "Authorization", "Bearer " + access).body());
    assertThat(me.path("email").asString()).isEqualTo("dev.user@example.com");
    assertThat(me.path("name").asString()).isEqualTo("Dev User");
  }

  @Test
  void linkWhenSignedInThenSecondProviderAddedAndOnlyTheLastWayInCannotBeUnlinked() {
    Map<String, String> oauth = openDevPage("google");
    URI back =
        location(
            http.get(
                own(
                    submit(
                        "google",
                        oauth,
                        Map.of(
                            "email",
                            "linker@example.com",
                            "decision",
                            "allow",
                            "email_verified",
                            "true")))));
    String access =
        json.readTree(
                http.post(
                        "/api/auth/exchange",
                        "{\"code\":\"" + OAuthProvidersIT.query(back).get("code") + "\"}")
                    .body())
            .path("accessToken")
            .asString();
    String bearer = "Bearer " + access;

    HttpResponse<String> last =
        http.send(
            HttpRequest.newBuilder(URI.create(http.base() + "/api/auth/link/google"))
                .header("Authorization", bearer)
                .DELETE());
    assertThat(last.statusCode()).isEqualTo(409);
    assertThat(json.readTree(last.body()).path("code").asString()).isEqualTo("last_sign_in_method");
    assertThat(http.get("/api/auth/link/github?redirect_to=" + APP).statusCode()).isEqualTo(401);

    HttpResponse<String> link =
        http.get("/api/auth/link/github?redirect_to=" + APP, "Authorization", bearer);
    assertThat(link.statusCode()).as(link.body()).isEqualTo(200);
    URI authorize = URI.create(json.readTree(link.body()).path("url").asString());
    assertThat(authorize.getPath()).isEqualTo("/dev/oauth/github/authorize");
    URI linked =
        location(
            http.get(
                own(
                    submit(
                        "github",
                        new LinkedHashMap<>(OAuthProvidersIT.query(authorize)),
                        Map.of(
                            "email",
                            "other-address@example.com",
                            "email_verified",
                            "true",
                            "decision",
                            "allow")))));
    Map<String, String> linkBack = OAuthProvidersIT.query(linked);
    assertThat(linkBack).containsEntry("provider", "github").containsKey("link_code");
    String complete = "{\"code\":\"" + linkBack.get("link_code") + "\"}";
    HttpResponse<String> anonymous = http.post("/api/auth/link/github/complete", complete);
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(
            jdbc.sql(
                    "SELECT COUNT(*) FROM identities WHERE provider = 'github' AND account_id = "
                        + "(SELECT id FROM accounts WHERE email = ?)")
                .param("linker@example.com")
                .query(Long.class)
                .single())
        .isZero();
    HttpResponse<String> completed =
        http.post("/api/auth/link/github/complete", complete, "Authorization", bearer);
    assertThat(completed.statusCode()).as(completed.body()).isEqualTo(200);

    HttpResponse<String> unlinked =
        http.send(
            HttpRequest.newBuilder(URI.create(http.base() + "/api/auth/link/google"))
                .header("Authorization", bearer)
                .DELETE());
    assertThat(unlinked.statusCode()).isEqualTo(204);
    assertThat(
            jdbc.sql(
                    "SELECT provider FROM identities WHERE account_id = (SELECT id FROM accounts WHERE email = ?)")
                .param("linker@example.com")
                .query(String.class)
                .list())
        .containsExactly("github");
  }

  /**
   * Signs in through the dev page as a new account with a verified address; returns its bearer
   * header.
   */
  String signedIn(String provider, String email) {
    URI back =
        location(
            http.get(
                own(
                    submit(
                        provider,
                        openDevPage(provider),
                        Map.of("email", email, "email_verified", "true", "decision", "allow")))));
    HttpResponse<String> exchanged =
        http.post(
            "/api/auth/exchange",
            "{\"code\":\"" + OAuthProvidersIT.query(back).get("code") + "\"}");
    assertThat(exchanged.statusCode()).as(exchanged.body()).isEqualTo(200);
    return "Bearer " + json.readTree(exchanged.body()).path("accessToken").asString();
  }

  long identities(String email) {
    return jdbc.sql(
            "SELECT COUNT(*) FROM identities WHERE account_id = (SELECT id FROM accounts WHERE email = ?)")
        .param(email)
        .query(Long.class)
        .single();
  }

  @Test
  void linkCompleteWhenAnotherAccountsTokenThen403NothingLinkedAndCodeUsedUp() {
    String ann = signedIn("google", "link-ann@example.com");
    String bob = signedIn("google", "link-bob@example.com");
    HttpResponse<String> link =
        http.get("/api/auth/link/github?redirect_to=" + APP, "Authorization", ann);
    assertThat(link.statusCode()).as(link.body()).isEqualTo(200);
    URI authorize = URI.create(json.readTree(link.body()).path("url").asString());
    URI linked =
        location(
            http.get(
                own(
                    submit(
                        "github",
                        new LinkedHashMap<>(OAuthProvidersIT.query(authorize)),
                        Map.of(
                            "email",
                            "ann-at-github@example.com",
                            "email_verified",
                            "true",
                            "decision",
                            "allow")))));
    String complete = "{\"code\":\"" + OAuthProvidersIT.query(linked).get("link_code") + "\"}";

    Errors.assertError(
        http.post("/api/auth/link/github/complete", complete, "Authorization", bob),
        403,
        "link_account_mismatch");

    assertThat(identities("link-ann@example.com")).isEqualTo(1);
    assertThat(identities("link-bob@example.com")).isEqualTo(1);
    assertThat(
            jdbc.sql("SELECT COUNT(*) FROM identities WHERE provider = 'github' AND email = ?")
                .param("ann-at-github@example.com")
                .query(Long.class)
                .single())
        .isZero();
    // The mismatch used the code up: not even the account that started the link can complete it
    // now.
    Errors.assertError(
        http.post("/api/auth/link/github/complete", complete, "Authorization", ann),
        400,
        "invalid_code");
    assertThat(identities("link-ann@example.com")).isEqualTo(1);
  }

  @Test
  void signInWhenDeniedThenAppGetsAccessDenied() {
    Map<String, String> oauth = openDevPage("google");
    URI callback = submit("google", oauth, Map.of("email", "x@example.com", "decision", "deny"));

    URI back = location(http.get(own(callback)));

    assertThat(back.toString())
        .isEqualTo(APP + "?error=access_denied&error_description=Permission%20required");
  }

  @Test
  void signInWhenUnverifiedEmailOfExistingAccountThenNotLinked() {
    TestAccounts.create(jdbc, "owner@example.com");
    Map<String, String> oauth = openDevPage("google");
    URI callback =
        submit(
            "google",
            oauth,
            Map.of("email", "owner@example.com", "email_verified", "false", "decision", "allow"));

    assertThat(OAuthProvidersIT.query(location(http.get(own(callback)))))
        .containsEntry("error", "email_in_use");
  }

  @Test
  void tokenWhenCodeReusedOrVerifierWrongThenInvalidGrant() {
    Map<String, String> oauth = openDevPage("google");
    String code =
        OAuthProvidersIT.query(
                submit("google", oauth, Map.of("email", "t@example.com", "decision", "allow")))
            .get("code");
    Map<String, String> token =
        new LinkedHashMap<>(
            Map.of(
                "grant_type",
                "authorization_code",
                "code",
                code,
                "client_id",
                "switchboard-dev",
                "redirect_uri",
                oauth.get("redirect_uri"),
                "code_verifier",
                Pkce.random()));

    HttpResponse<String> wrongVerifier = postForm("/dev/oauth/google/token", token);
    assertThat(wrongVerifier.statusCode()).isEqualTo(400);
    assertThat(json.readTree(wrongVerifier.body()).path("error").asString())
        .isEqualTo("invalid_grant");
    // The failed attempt used the code up, as RFC 6749 asks for a code presented twice.
    assertThat(
            json.readTree(postForm("/dev/oauth/google/token", token).body())
                .path("error")
                .asString())
        .isEqualTo("invalid_grant");
    assertThat(http.get("/dev/oauth/google/userinfo", "Authorization", "Bearer nope").statusCode())
        .isEqualTo(401);
  }

  @Test
  void authorizeWhenRedirectUriNotOurCallbackThen400WithoutRedirect() {
    Map<String, String> oauth = openDevPage("google");
    oauth.put("redirect_uri", "https://evil.example/callback");
    String query =
        oauth.entrySet().stream()
            .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));

    HttpResponse<String> page = http.get("/dev/oauth/google/authorize?" + query);
    assertThat(page.statusCode()).isEqualTo(400);
    assertThat(page.headers().firstValue("Location")).isEmpty();
    assertThat(json.readTree(page.body()).path("code").asString()).isEqualTo("validation_failed");

    Map<String, String> form = new LinkedHashMap<>(oauth);
    form.putAll(Map.of("email", "x@example.com", "decision", "allow"));
    HttpResponse<String> post = postForm("/dev/oauth/google/authorize", form);
    assertThat(post.statusCode()).isEqualTo(400);
    assertThat(post.headers().firstValue("Location")).isEmpty();
  }

  @Test
  void integrationsWhenNoClientIdsThenGoogleAndGithubServedByDev() throws Exception {
    for (String id : List.of("auth.google", "auth.github")) {
      Integration box =
          integrations.stream().filter(i -> i.id().equals(id)).findFirst().orElseThrow();
      assertThat(box.provider()).isEqualTo("dev");
      assertThat(box.mode()).isEqualTo(Integration.Mode.DEV);
      assertThat(box.configured()).isFalse();
      assertThat(box.healthCheck().check().status().id()).isEqualTo("up");
    }
  }
}
