package dev.switchboard.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.platform.integrations.HealthStatus;
import dev.switchboard.platform.integrations.Integration;
import dev.switchboard.testing.FreePort;
import dev.switchboard.testing.HttpTestClient;
import dev.switchboard.testing.TestCallers;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * R2 configured but unreachable: presigning still works (it is local), completing answers 503 and
 * changes nothing.
 */
@Import(TestCallers.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class FilesStoreDownIT {

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    int closed = FreePort.next();
    registry.add("SWITCHBOARD_DATA_DIR", () -> "target/it-data/files-down-" + UUID.randomUUID());
    registry.add("STORAGE_PROVIDER", () -> "r2");
    registry.add("S3_BUCKET", () -> "uploads");
    registry.add("S3_ENDPOINT", () -> "http://127.0.0.1:" + closed);
    registry.add("AWS_ACCESS_KEY_ID", () -> "r2keyid000000000000001");
    registry.add("AWS_SECRET_ACCESS_KEY", () -> "r2-down-secret-access-key-value");
  }

  @LocalServerPort int port;

  @Autowired DataSource dataSource;

  @Autowired List<Integration> integrations;

  final JsonMapper json = JsonMapper.builder().build();

  @Test
  void completeWhenStoreUnreachableThen503WithRetryAfterAndFileStaysPending() throws Exception {
    HttpTestClient http = new HttpTestClient(port);
    HttpResponse<String> presigned =
        http.post(
            "/api/files/presign",
            "{\"filename\":\"a.png\",\"contentType\":\"image/png\",\"size\":10}",
            "X-Test-User",
            "usr_down");
    assertThat(presigned.statusCode()).isEqualTo(200);
    String id = json.readTree(presigned.body()).path("fileId").asString();

    HttpResponse<String> completed =
        http.post("/api/files/" + id + "/complete", "", "X-Test-User", "usr_down");

    assertThat(completed.statusCode()).isEqualTo(503);
    assertThat(completed.headers().firstValue("Retry-After")).contains("5");
    JsonNode error = json.readTree(completed.body());
    assertThat(error.path("code").asString()).isEqualTo("storage_unavailable");
    assertThat(completed.body()).doesNotContain("r2-down-secret");
    assertThat(
            JdbcClient.create(dataSource)
                .sql("SELECT status FROM files WHERE id = ?")
                .param(id)
                .query(String.class)
                .single())
        .isEqualTo("pending");
    Integration box =
        integrations.stream().filter(i -> i.id().equals("storage")).findFirst().orElseThrow();
    assertThat(box.provider()).isEqualTo("r2");
    assertThat(box.healthCheck().check().status()).isEqualTo(HealthStatus.DOWN);
  }
}
