package dev.switchboard.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.HttpTestClient;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "SWITCHBOARD_DATA_DIR=target/it-data/admin-session",
      "SWITCHBOARD_ADMIN_API_KEY=" + AdminSessionIT.ADMIN_KEY
    })
class AdminSessionIT {

  static final String ADMIN_KEY = "sk_admin_session_it_key_0123456789abcdef";

  @LocalServerPort int port;

  @Autowired JdbcClient jdbc;

  HttpTestClient http;

  @BeforeEach
  void setUp() {
    http = new HttpTestClient(port);
  }

  HttpResponse<String> signIn(String key) {
    return http.send(
        HttpRequest.newBuilder(URI.create(http.base() + "/admin/login"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    key == null
                        ? ""
                        : "key="
                            + java.net.URLEncoder.encode(
                                key, java.nio.charset.StandardCharsets.UTF_8))));
  }

  static String cookie(HttpResponse<String> response) {
    return response.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
  }

  long sessions() {
    return jdbc.sql("SELECT COUNT(*) FROM admin_sessions").query(Long.class).single();
  }

  @Test
  void signInWhenAdminKeyThenCookieHoldsRandomTokenNotTheKey() {
    HttpResponse<String> response = signIn(ADMIN_KEY);
    assertThat(response.statusCode()).isEqualTo(303);
    assertThat(response.headers().firstValue("Location")).hasValue("/admin");
    String setCookie = response.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(setCookie)
        .startsWith(AdminSession.COOKIE + "=")
        .contains("HttpOnly")
        .contains("SameSite=Strict")
        .contains("Path=/admin")
        .doesNotContain(ADMIN_KEY)
        .doesNotContain("sk_");
    assertThat(http.get("/admin", "Cookie", cookie(response)).statusCode()).isEqualTo(200);
  }

  @Test
  void signInWhenKeyWrongMissingOrWithoutAdminScopeThen401AndNoSession() {
    String limited =
        http.post(
                "/api/keys",
                "{\"name\":\"mailer\",\"scopes\":[\"email:send\"]}",
                "Authorization",
                "Bearer " + ADMIN_KEY)
            .body();
    String limitedKey = limited.replaceAll(".*\"key\":\"([^\"]+)\".*", "$1");
    long before = sessions();
    for (String key :
        new String[] {null, "", "   ", "sk_wrong_key_wrong_key_wrong_key_000000", limitedKey}) {
      HttpResponse<String> response = signIn(key);
      assertThat(response.statusCode()).as(String.valueOf(key)).isEqualTo(401);
      assertThat(response.headers().firstValue("Set-Cookie")).isEmpty();
      assertThat(response.body()).contains("not a valid API key with the admin scope");
    }
    assertThat(sessions()).isEqualTo(before);
  }

  @Test
  void pagesWhenNoOrForgedCookieThenRedirectToLogin() {
    for (String page :
        new String[] {
          "/admin", "/admin/errors", "/admin/email", "/admin/email/messages/msg_nope"
        }) {
      assertThat(http.get(page).statusCode()).isEqualTo(303);
      HttpResponse<String> forged = http.get(page, "Cookie", AdminSession.COOKIE + "=" + ADMIN_KEY);
      assertThat(forged.statusCode()).isEqualTo(303);
      assertThat(forged.headers().firstValue("Location")).hasValue("/admin/login");
    }
  }

  @Test
  void pageWhenKeyBehindSessionRevokedThenSignedOut() {
    String created =
        http.post(
                "/api/keys",
                "{\"name\":\"ops\",\"scopes\":[\"admin\"]}",
                "Authorization",
                "Bearer " + ADMIN_KEY)
            .body();
    String key = created.replaceAll(".*\"key\":\"([^\"]+)\".*", "$1");
    String id = created.replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
    String cookie = cookie(signIn(key));
    assertThat(http.get("/admin", "Cookie", cookie).statusCode()).isEqualTo(200);

    http.send(
        HttpRequest.newBuilder(URI.create(http.base() + "/api/keys/" + id)).DELETE(),
        "Authorization",
        "Bearer " + ADMIN_KEY);
    assertThat(http.get("/admin", "Cookie", cookie).statusCode()).isEqualTo(303);
  }

  @Test
  void pageWhenAccountNoLongerInAdminListThenSignedOutWhateverItsStoredRoles() {
    // Signed in while listed; the list no longer has the address, the row still says admin.
    // The data directory outlives a run, so the rows are unique per run.
    String run = java.util.UUID.randomUUID().toString().substring(0, 8);
    String id = "acct_former_" + run;
    String token = "former-admin-token-" + run;
    java.time.OffsetDateTime now = java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC);
    jdbc.sql(
            "INSERT INTO accounts (id, email, email_verified, password_hash, roles, created_at, updated_at) "
                + "VALUES (?, ?, TRUE, NULL, 'admin', ?, ?)")
        .params(id, "former-" + run + "@example.com", now, now)
        .update();
    jdbc.sql(
            "INSERT INTO admin_sessions (token_hash, account_id, created_at, expires_at) VALUES (?, ?, ?, ?)")
        .params(dev.switchboard.platform.apikeys.ApiKeyHash.of(token), id, now, now.plusHours(1))
        .update();

    assertThat(http.get("/admin", "Cookie", AdminSession.COOKIE + "=" + token).statusCode())
        .isEqualTo(303);
  }

  @Test
  void signOutWhenSignedInThenSessionDeletedAndCookieCleared() {
    String cookie = cookie(signIn(ADMIN_KEY));
    long before = sessions();
    HttpResponse<String> out =
        http.send(
            HttpRequest.newBuilder(URI.create(http.base() + "/admin/logout"))
                .POST(HttpRequest.BodyPublishers.noBody()),
            "Cookie",
            cookie);
    assertThat(out.statusCode()).isEqualTo(303);
    assertThat(out.headers().firstValue("Set-Cookie"))
        .hasValueSatisfying(v -> assertThat(v).contains("Max-Age=0"));
    assertThat(sessions()).isEqualTo(before - 1);
    assertThat(http.get("/admin", "Cookie", cookie).statusCode()).isEqualTo(303);
  }

  @Test
  void signInWhenPostedFromAnotherSiteThen403AndNoSession() {
    long before = sessions();
    for (String[] header :
        new String[][] {
          {"Origin", "https://evil.example"}, {"Sec-Fetch-Site", "cross-site"}, {"Origin", "null"}
        }) {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(http.base() + "/admin/login"))
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .POST(HttpRequest.BodyPublishers.ofString("key=" + ADMIN_KEY)),
              header[0],
              header[1]);
      assertThat(response.statusCode()).as(header[0] + ": " + header[1]).isEqualTo(403);
      assertThat(response.body()).contains("\"code\":\"cross_site_request\"");
      assertThat(response.headers().firstValue("Set-Cookie")).isEmpty();
    }
    HttpResponse<String> sameOrigin =
        http.send(
            HttpRequest.newBuilder(URI.create(http.base() + "/admin/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("key=" + ADMIN_KEY)),
            "Origin",
            http.base(),
            "Sec-Fetch-Site",
            "same-origin");
    assertThat(sameOrigin.statusCode()).isEqualTo(303);
    assertThat(sessions()).isEqualTo(before + 1);
  }

  @Test
  void messagePageWhenUnknownIdThenNotFoundInErrorShape() {
    String cookie = cookie(signIn(ADMIN_KEY));
    HttpResponse<String> response =
        http.get("/admin/email/messages/msg_does_not_exist", "Cookie", cookie);
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).contains("\"code\":\"not_found\"").contains("\"requestId\"");
  }
}
