package dev.switchboard.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.HttpTestClient;
import dev.switchboard.testing.TestKeys;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Request bodies are read strictly: a number, boolean or object where the docs say string is a 400
 * naming the field, and a key given twice is a 400 naming the key, not a silent last-one-wins.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"SWITCHBOARD_DATA_DIR=target/it-data/strict-json", TestKeys.ADMIN_PROPERTY})
class StrictJsonIT {

  @LocalServerPort int port;

  HttpTestClient admin;

  @BeforeEach
  void setUp() {
    admin = new HttpTestClient(port).authorized(TestKeys.ADMIN);
  }

  @Test
  void presignWhenFilenameIsBooleanThenValidationFailedNamingFilename() {
    HttpResponse<String> response =
        admin.post(
            "/api/files/presign", "{\"filename\":true,\"contentType\":\"image/png\",\"size\":10}");
    ErrorShape.assertErrorShape(response, 400, "validation_failed");
    assertThat(response.body())
        .contains("\"field\":\"filename\"")
        .contains("filename must be a string");
  }

  @Test
  void presignWhenFilenameIsNumberThenValidationFailed() {
    HttpResponse<String> response =
        admin.post(
            "/api/files/presign", "{\"filename\":12,\"contentType\":\"image/png\",\"size\":10}");
    ErrorShape.assertErrorShape(response, 400, "validation_failed");
    assertThat(response.body()).contains("\"field\":\"filename\"");
  }

  @Test
  void sendWhenLocaleIsBooleanThenValidationFailedNamingLocale() {
    HttpResponse<String> response =
        admin.post(
            "/api/email/send",
            "{\"template\":\"welcome\",\"to\":\"ann@example.com\",\"variables\":{\"name\":\"Ann\",\"verifyUrl\":\"https://x\"},\"locale\":true}");
    ErrorShape.assertErrorShape(response, 400, "validation_failed");
    assertThat(response.body()).contains("\"field\":\"locale\"");
  }

  @Test
  void createKeyWhenNameIsGivenTwiceThenValidationFailedNamingTheKey() {
    int before = admin.get("/api/keys").body().split("\"id\"").length;
    HttpResponse<String> response =
        admin.post("/api/keys", "{\"name\":\"a\",\"name\":\"b\",\"scopes\":[\"email:send\"]}");
    ErrorShape.assertErrorShape(response, 400, "validation_failed");
    assertThat(response.body()).contains("\"field\":\"name\"").contains("more than once");
    assertThat(admin.get("/api/keys").body().split("\"id\"").length).isEqualTo(before);
  }

  @Test
  void createKeyWhenScopeIsNumberThenValidationFailedNamingTheElement() {
    HttpResponse<String> response = admin.post("/api/keys", "{\"name\":\"a\",\"scopes\":[1]}");
    ErrorShape.assertErrorShape(response, 400, "validation_failed");
    assertThat(response.body()).contains("\"field\":\"scopes");
  }

  @Test
  void createKeyWhenValidThenCreated() {
    HttpResponse<String> response =
        admin.post("/api/keys", "{\"name\":\"strict ok\",\"scopes\":[\"email:send\"]}");
    assertThat(response.statusCode()).isEqualTo(201);
  }
}
