package dev.switchboard.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import dev.switchboard.Switchboard;
import dev.switchboard.testing.HttpTestClient;
import dev.switchboard.testing.PostgresTestDatabase;
import dev.switchboard.testing.TestKeys;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two instances on one PostgreSQL with the same SWITCHBOARD_AUTH_KEY_SECRET: a session opened on
 * one works on the other, a key rotated on one verifies on the other at once, and a session revoked
 * on one stops working on the other within the liveness cache's 5 seconds.
 */
class AuthScaleOutIT {

  static final String SECRET = "scale-out-secret-0123456789-abcdefghij";
  final JsonMapper json = JsonMapper.builder().build();

  static ConfigurableApplicationContext start(String databaseUrl, Path dataDir) {
    return new SpringApplicationBuilder(Switchboard.class)
        .run(
            "--SWITCHBOARD_DATA_DIR=" + dataDir,
            "--server.port=0",
            "--DATABASE_URL=" + databaseUrl,
            "--SWITCHBOARD_AUTH_KEY_SECRET=" + SECRET,
            "--SWITCHBOARD_ADMIN_API_KEY=" + TestKeys.ADMIN,
            "--SWITCHBOARD_PUBLIC_URL=http://auth.example.test");
  }

  static HttpTestClient client(ConfigurableApplicationContext app) {
    return new HttpTestClient(
        Integer.parseInt(app.getEnvironment().getProperty("local.server.port")));
  }

  @Test
  void twoInstancesWhenSharingADatabaseThenShareSessionsKeysAndRevocations() throws Exception {
    String db = PostgresTestDatabase.freshUrl();
    String dir = "target/it-data/auth-scale-" + UUID.randomUUID();
    try (ConfigurableApplicationContext a = start(db, Path.of(dir, "a"));
        ConfigurableApplicationContext b = start(db, Path.of(dir, "b"))) {
      HttpTestClient httpA = client(a);
      HttpTestClient httpB = client(b);
      assertThat(
              httpA
                  .post(
                      "/api/auth/register",
                      "{\"email\":\"sam@example.com\",\"password\":\"sams long password\"}")
                  .statusCode())
          .isEqualTo(202);
      JsonNode tokens =
          json.readTree(
              httpA
                  .post(
                      "/api/auth/login",
                      "{\"email\":\"sam@example.com\",\"password\":\"sams long password\"}")
                  .body());
      String access = tokens.path("accessToken").asString();
      assertThat(me(httpB, access).statusCode()).isEqualTo(200);
      assertThat(httpA.get("/.well-known/jwks.json").body())
          .isEqualTo(httpB.get("/.well-known/jwks.json").body());

      String oldKid = SignedJWT.parse(access).getHeader().getKeyID();
      assertThat(
              httpA
                  .post("/api/auth/keys/rotate", "{}", "Authorization", "Bearer " + TestKeys.ADMIN)
                  .statusCode())
          .isEqualTo(200);
      JsonNode rotated =
          json.readTree(
              httpA
                  .post(
                      "/api/auth/refresh",
                      "{\"refreshToken\":\"" + tokens.path("refreshToken").asString() + "\"}")
                  .body());
      String newAccess = rotated.path("accessToken").asString();
      assertThat(SignedJWT.parse(newAccess).getHeader().getKeyID()).isNotEqualTo(oldKid);
      assertThat(me(httpB, newAccess).statusCode()).isEqualTo(200);
      assertThat(me(httpB, access).statusCode()).isEqualTo(200);

      // The refresh on A rotated B's view of the family too: the rotated token reused on B after
      // the grace window
      // would revoke it; within the window B answers the same current pair.
      JsonNode again =
          json.readTree(
              httpB
                  .post(
                      "/api/auth/refresh",
                      "{\"refreshToken\":\"" + tokens.path("refreshToken").asString() + "\"}")
                  .body());
      assertThat(again.path("refreshToken").asString())
          .isEqualTo(rotated.path("refreshToken").asString());

      assertThat(
              httpA
                  .post(
                      "/api/auth/logout",
                      "{\"scope\":\"all\"}",
                      "Authorization",
                      "Bearer " + newAccess)
                  .statusCode())
          .isEqualTo(204);
      assertThat(me(httpA, newAccess).statusCode()).isEqualTo(401);
      long deadline = System.nanoTime() + Sessions.LIVE_CACHE.plusSeconds(3).toNanos();
      int status = me(httpB, newAccess).statusCode();
      while (status == 200 && System.nanoTime() < deadline) {
        Thread.sleep(250);
        status = me(httpB, newAccess).statusCode();
      }
      assertThat(status).isEqualTo(401);
    }
  }

  private static HttpResponse<String> me(HttpTestClient http, String token) {
    return http.get("/api/auth/me", "Authorization", "Bearer " + token);
  }
}
