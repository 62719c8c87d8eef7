package dev.switchboard.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.platform.integrations.HealthStatus;
import dev.switchboard.platform.integrations.Integration;
import dev.switchboard.testing.HttpTestClient;
import dev.switchboard.testing.S3MockProcess;
import dev.switchboard.testing.TestCallers;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
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
 * The whole upload flow with {@code STORAGE_PROVIDER=s3} against Adobe S3Mock: presign, a plain
 * HTTP PUT straight to the bucket, complete, download. S3Mock does not check signatures, so a PUT
 * of another length or type reaches it; the check at completion then rejects the file and deletes
 * the object (on S3 and R2 the store itself refuses such a PUT, see S3ObjectStorageIT).
 */
@Import(TestCallers.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class S3FilesIT {

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) throws Exception {
    String endpoint = S3MockProcess.shared().endpoint().toString();
    registry.add("SWITCHBOARD_DATA_DIR", () -> "target/it-data/files-s3-" + UUID.randomUUID());
    registry.add("STORAGE_PROVIDER", () -> "s3");
    registry.add("S3_BUCKET", () -> S3MockProcess.BUCKET);
    registry.add("S3_REGION", () -> "eu-west-1");
    registry.add("S3_ENDPOINT", () -> endpoint);
    registry.add("AWS_ACCESS_KEY_ID", () -> "AKIAFILESTEST0000001");
    registry.add("AWS_SECRET_ACCESS_KEY", () -> "files-it-secret-access-key-value");
  }

  @LocalServerPort int port;

  @Autowired ObjectStorage storage;

  @Autowired DataSource dataSource;

  @Autowired List<Integration> integrations;

  @Autowired PendingUploadCleanup cleanup;

  final JsonMapper json = JsonMapper.builder().build();
  final HttpClient raw = HttpClient.newHttpClient();
  HttpTestClient http;
  String user;

  @BeforeEach
  void setUp() {
    http = new HttpTestClient(port);
    user = "usr_s3" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
  }

  @Test
  void uploadWhenPresignedPutToBucketAndCompletedThenReadyAndDownloadableFromTheBucket()
      throws Exception {
    byte[] png = Samples.png();
    JsonNode presigned = presign("pixel.png", "image/png", png.length);
    URI uploadUrl = URI.create(presigned.path("uploadUrl").asString());
    assertThat(uploadUrl.getPath())
        .startsWith("/" + S3MockProcess.BUCKET + "/uploads/" + user + "/");
    assertThat(uploadUrl.getRawQuery())
        .contains("X-Amz-SignedHeaders=content-length%3Bcontent-type%3Bhost");

    assertThat(put(presigned, png, "image/png").statusCode()).isEqualTo(200);
    String id = presigned.path("fileId").asString();
    HttpResponse<String> completed =
        http.post("/api/files/" + id + "/complete", "", "X-Test-User", user);

    assertThat(completed.statusCode()).as(completed.body()).isEqualTo(200);
    JsonNode file = json.readTree(completed.body());
    assertThat(file.path("status").asString()).isEqualTo("ready");
    URI download = URI.create(file.path("downloadUrl").asString());
    assertThat(download.getRawQuery())
        .contains("X-Amz-Expires=300")
        .contains("response-content-disposition=inline");
    HttpResponse<byte[]> got =
        raw.send(HttpRequest.newBuilder(download).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(got.statusCode()).isEqualTo(200);
    assertThat(got.body()).containsExactly(png);
  }

  @Test
  void completeWhenPutHadAnotherLengthThenSizeMismatchAndObjectDeleted() throws Exception {
    byte[] png = Samples.png();
    JsonNode presigned = presign("short.png", "image/png", png.length + 100);
    put(presigned, png, "image/png");
    String id = presigned.path("fileId").asString();

    HttpResponse<String> completed =
        http.post("/api/files/" + id + "/complete", "", "X-Test-User", user);

    assertError(completed, 422, "size_mismatch");
    assertThat(storage.head(key(id))).isEmpty();
    assertThat(status(id)).isEqualTo("rejected");
  }

  @Test
  void completeWhenPutHadAnotherContentTypeThenContentMismatchAndObjectDeleted() throws Exception {
    byte[] png = Samples.png();
    JsonNode presigned = presign("typed.png", "image/png", png.length);
    put(presigned, png, "text/html");
    String id = presigned.path("fileId").asString();

    assertError(
        http.post("/api/files/" + id + "/complete", "", "X-Test-User", user),
        422,
        "content_mismatch");
    assertThat(storage.head(key(id))).isEmpty();
  }

  @Test
  void completeWhenDisguisedPdfThenRejectedAndDeletedFromTheBucket() throws Exception {
    byte[] pdf = Samples.pdf();
    JsonNode presigned = presign("cat.png", "image/png", pdf.length);
    put(presigned, pdf, "image/png");
    String id = presigned.path("fileId").asString();
    assertThat(storage.head(key(id))).isPresent();

    assertError(
        http.post("/api/files/" + id + "/complete", "", "X-Test-User", user),
        422,
        "content_mismatch");

    assertThat(storage.head(key(id))).isEmpty();
    assertThat(status(id)).isEqualTo("rejected");
  }

  @Test
  void cleanupWhenRejectedObjectWasUploadedAgainThenObjectAndRowDeleted() throws Exception {
    byte[] pdf = Samples.pdf();
    JsonNode presigned = presign("again.png", "image/png", pdf.length);
    put(presigned, pdf, "image/png");
    String id = presigned.path("fileId").asString();
    String key = key(id);
    assertError(
        http.post("/api/files/" + id + "/complete", "", "X-Test-User", user),
        422,
        "content_mismatch");
    assertThat(put(presigned, pdf, "image/png").statusCode()).isEqualTo(200);
    JdbcClient.create(dataSource)
        .sql("UPDATE files SET created_at = ? WHERE id = ?")
        .params(OffsetDateTime.now(ZoneOffset.UTC).minusHours(25), id)
        .update();

    assertThat(cleanup.run()).isGreaterThanOrEqualTo(1);

    assertThat(storage.head(key)).isEmpty();
    assertThat(
            JdbcClient.create(dataSource)
                .sql("SELECT COUNT(*) FROM files WHERE id = ?")
                .param(id)
                .query(Long.class)
                .single())
        .isZero();
  }

  @Test
  void mapWhenS3ThenBucketHealthAndMaskedKeys() throws Exception {
    Integration box =
        integrations.stream().filter(i -> i.id().equals("storage")).findFirst().orElseThrow();

    assertThat(box.provider()).isEqualTo("s3");
    assertThat(box.mode()).isEqualTo(Integration.Mode.LIVE);
    assertThat(box.healthCheck().check().status()).isEqualTo(HealthStatus.UP);
    assertThat(box.maskedConfig().get("AWS_SECRET_ACCESS_KEY"))
        .doesNotContain("files-it-secret-access-key-value");
    assertThat(box.maskedConfig().get("AWS_ACCESS_KEY_ID")).isEqualTo("AKIA****0001");
    assertThat(box.maskedConfig().toString()).doesNotContain("files-it-secret");
  }

  JsonNode presign(String filename, String type, long size) {
    HttpResponse<String> response =
        http.post(
            "/api/files/presign",
            json.writeValueAsString(
                Map.of("filename", filename, "contentType", type, "size", size)),
            "X-Test-User",
            user);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json.readTree(response.body());
  }

  /** A plain HTTP PUT straight to the bucket, as a browser would send it. */
  HttpResponse<String> put(JsonNode presigned, byte[] bytes, String type)
      throws IOException, InterruptedException {
    return raw.send(
        HttpRequest.newBuilder(URI.create(presigned.path("uploadUrl").asString()))
            .header("Content-Type", type)
            .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  void assertError(HttpResponse<String> response, int status, String code) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    JsonNode body = json.readTree(response.body());
    assertThat(body.path("code").asString()).isEqualTo(code);
    assertThat(body.path("requestId").asString()).isNotBlank();
  }

  String key(String id) {
    return JdbcClient.create(dataSource)
        .sql("SELECT object_key FROM files WHERE id = ?")
        .param(id)
        .query(String.class)
        .single();
  }

  String status(String id) {
    return JdbcClient.create(dataSource)
        .sql("SELECT status FROM files WHERE id = ?")
        .param(id)
        .query(String.class)
        .single();
  }
}
