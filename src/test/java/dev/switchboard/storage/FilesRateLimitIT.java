package dev.switchboard.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.HttpTestClient;
import dev.switchboard.testing.TestCallers;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code STORAGE_RATE_LIMIT} per client on presign and on complete, each with its own budget. */
@Import(TestCallers.class)
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"SWITCHBOARD_DATA_DIR=target/it-data/files-rate", "STORAGE_RATE_LIMIT=2/min"})
class FilesRateLimitIT {

  @LocalServerPort int port;

  final JsonMapper json = JsonMapper.builder().build();

  @Test
  void presignAndCompleteWhenOverStorageRateLimitThen429WithRetryAfterPerClient() {
    HttpTestClient http = new HttpTestClient(port);
    String user = "usr_rate" + UUID.randomUUID().toString().substring(0, 8);
    String body = "{\"filename\":\"a.png\",\"contentType\":\"image/png\",\"size\":10}";

    String id =
        json.readTree(http.post("/api/files/presign", body, "X-Test-User", user).body())
            .path("fileId")
            .asString();
    assertThat(http.post("/api/files/presign", body, "X-Test-User", user).statusCode())
        .isEqualTo(200);
    HttpResponse<String> third = http.post("/api/files/presign", body, "X-Test-User", user);
    assertLimited(third);
    assertThat(http.post("/api/files/presign", body, "X-Test-User", user + "x").statusCode())
        .isEqualTo(200);

    assertThat(http.post("/api/files/" + id + "/complete", "", "X-Test-User", user).statusCode())
        .isEqualTo(409);
    assertThat(http.post("/api/files/" + id + "/complete", "", "X-Test-User", user).statusCode())
        .isEqualTo(409);
    assertLimited(http.post("/api/files/" + id + "/complete", "", "X-Test-User", user));
    assertThat(http.get("/api/files/" + id, "X-Test-User", user).statusCode()).isEqualTo(200);
  }

  private void assertLimited(HttpResponse<String> response) {
    assertThat(response.statusCode()).isEqualTo(429);
    assertThat(response.headers().firstValue("Retry-After"))
        .hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isPositive());
    JsonNode error = json.readTree(response.body());
    assertThat(error.path("code").asString()).isEqualTo("rate_limited");
  }
}
