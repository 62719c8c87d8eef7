package dev.switchboard.platform.apikeys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.HttpTestClient;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The first admin key through the HTTP route, with a token issued as a production start without
 * keys would.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"SWITCHBOARD_DATA_DIR=target/it-data/setup-routes"})
class SetupRoutesIT {

  @LocalServerPort int port;

  @Autowired SetupToken setup;

  @Autowired ApiKeyService keys;

  @Test
  void createAdminKeyWhenTokenValidThenCreatedOnceAndTheKeyWorks() {
    keys.list().stream().filter(k -> !k.revoked()).forEach(k -> keys.revoke(k.id()));
    HttpTestClient http = new HttpTestClient(port);
    String token = setup.issue();

    HttpResponse<String> wrong =
        http.post("/api/setup/admin-key", "{\"token\":\"setup_nope\",\"name\":\"ops\"}");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.body()).contains("\"code\":\"invalid_setup_token\"").doesNotContain(token);

    HttpResponse<String> created =
        http.post("/api/setup/admin-key", "{\"token\":\"" + token + "\",\"name\":\"ops\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(created.headers().firstValue("Cache-Control"))
        .hasValueSatisfying(v -> assertThat(v).contains("no-store"));
    String key = created.body().replaceAll(".*\"key\":\"([^\"]+)\".*", "$1");
    assertThat(http.authorized(key).get("/api/keys").statusCode()).isEqualTo(200);

    HttpResponse<String> again =
        http.post("/api/setup/admin-key", "{\"token\":\"" + token + "\",\"name\":\"ops\"}");
    assertThat(again.statusCode()).isEqualTo(404);
    assertThat(again.body()).contains("\"code\":\"setup_not_available\"");
  }
}
