package dev.switchboard.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.auth.ClientInfo;
import dev.switchboard.auth.SessionIssuer;
import dev.switchboard.auth.SessionTokens;
import dev.switchboard.testing.HttpTestClient;
import dev.switchboard.testing.TestAccounts;
import dev.switchboard.testing.TestKeys;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The dashboard's users page: accounts with their sessions, and revoking them. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AdminUsersIT {

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    String dir = "target/it-data/admin-users-" + UUID.randomUUID();
    registry.add("SWITCHBOARD_DATA_DIR", () -> dir);
    registry.add("SWITCHBOARD_ADMIN_API_KEY", () -> TestKeys.ADMIN);
  }

  @LocalServerPort int port;

  @Autowired JdbcClient jdbc;

  @Autowired SessionIssuer sessions;

  HttpTestClient http;

  @BeforeEach
  void setUp() {
    http = new HttpTestClient(port);
  }

  String adminCookie() {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(http.base() + "/admin/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("key=" + TestKeys.ADMIN)));
    return r.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
  }

  HttpResponse<String> post(String path, String... headers) {
    return http.send(
        HttpRequest.newBuilder(URI.create(http.base() + path))
            .POST(HttpRequest.BodyPublishers.noBody()),
        headers);
  }

  @Test
  void usersPageWhenSignedInThenListsAccountsSessionsAndRevokeEndsTheSession() {
    String id = TestAccounts.create(jdbc, "lee@example.com");
    SessionTokens tokens =
        sessions.open(id, "github", new ClientInfo("198.51.100.4", "LeeBrowser/1"));
    String cookie = adminCookie();

    HttpResponse<String> page = http.get("/admin/users", "Cookie", cookie);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body())
        .contains("lee@example.com")
        .contains("LeeBrowser/1")
        .contains("198.51.100.4")
        .contains("class=\"active\">Users");
    String sid = page.body().replaceAll("(?s).*data-session=\"(ses_[0-9a-f]+)\".*", "$1");
    assertThat(
            http.get("/api/auth/me", "Authorization", "Bearer " + tokens.accessToken())
                .statusCode())
        .isEqualTo(200);

    HttpResponse<String> forged =
        post(
            "/admin/users/" + id + "/sessions/" + sid + "/revoke",
            "Cookie",
            cookie,
            "Origin",
            "https://evil.example");
    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(
            http.get("/api/auth/me", "Authorization", "Bearer " + tokens.accessToken())
                .statusCode())
        .isEqualTo(200);

    assertThat(post("/admin/users/" + id + "/sessions/" + sid + "/revoke").statusCode())
        .isEqualTo(303);
    assertThat(
            http.get("/api/auth/me", "Authorization", "Bearer " + tokens.accessToken())
                .statusCode())
        .isEqualTo(200);

    HttpResponse<String> revoked =
        post("/admin/users/" + id + "/sessions/" + sid + "/revoke", "Cookie", cookie);
    assertThat(revoked.statusCode()).isEqualTo(303);
    assertThat(
            http.get("/api/auth/me", "Authorization", "Bearer " + tokens.accessToken())
                .statusCode())
        .isEqualTo(401);
    assertThat(http.get("/admin/users", "Cookie", cookie).body()).doesNotContain(sid);
  }

  @Test
  void revokeAllWhenAccountHasDashboardSessionThenThatEndsToo() {
    String id = TestAccounts.create(jdbc, "mo@example.com");
    java.time.OffsetDateTime now = java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC);
    jdbc.sql(
            "INSERT INTO admin_sessions (token_hash, account_id, created_at, expires_at) VALUES (?, ?, ?, ?)")
        .params(
            dev.switchboard.platform.apikeys.ApiKeyHash.of("mo-dashboard"),
            id,
            now,
            now.plusHours(1))
        .update();
    String cookie = adminCookie();

    assertThat(post("/admin/users/" + id + "/sessions/revoke-all", "Cookie", cookie).statusCode())
        .isEqualTo(303);

    assertThat(
            jdbc.sql("SELECT COUNT(*) FROM admin_sessions WHERE account_id = ?")
                .param(id)
                .query(Long.class)
                .single())
        .isZero();
    assertThat(http.get("/admin/users", "Cookie", cookie).statusCode()).isEqualTo(200);
  }

  @Test
  void usersPageWhenSignedOutThenRedirectsToLogin() {
    HttpResponse<String> page = http.get("/admin/users");
    assertThat(page.statusCode()).isEqualTo(303);
    assertThat(page.headers().firstValue("Location")).contains("/admin/login");
  }
}
