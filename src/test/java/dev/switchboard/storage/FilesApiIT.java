package dev.switchboard.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.platform.integrations.Integration;
import dev.switchboard.testing.ApiScenario;
import dev.switchboard.testing.FreePort;
import dev.switchboard.testing.HttpTestClient;
import dev.switchboard.testing.TestCallers;
import dev.switchboard.testing.TestKeys;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mockito.ArgumentMatchers;
import org.mockito.Mockito;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The upload flow as an app uses it, on the local provider: presign, PUT, complete, read, list,
 * delete.
 */
@Import(TestCallers.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
class FilesApiIT {

  static final int PORT = FreePort.next();

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("SWITCHBOARD_DATA_DIR", () -> "target/it-data/files-api-" + UUID.randomUUID());
    registry.add("PORT", () -> PORT);
    registry.add("SWITCHBOARD_PUBLIC_URL", () -> "http://127.0.0.1:" + PORT);
    registry.add("SWITCHBOARD_ADMIN_API_KEY", () -> TestKeys.ADMIN);
    registry.add(
        "STORAGE_POLICY", () -> "image/*:5MB,application/pdf:10MB,text/plain:1MB,text/csv:1MB");
  }

  @TestConfiguration
  static class Callers {
    @Bean
    UploadEvents uploadEvents() {
      return new UploadEvents();
    }
  }

  static class UploadEvents {
    final List<FileUploaded> seen = new CopyOnWriteArrayList<>();

    @EventListener
    void on(FileUploaded event) {
      seen.add(event);
    }
  }

  @Autowired DataSource dataSource;

  @Autowired ObjectStorage storage;

  @Autowired UploadEvents events;

  @Autowired PendingUploadCleanup cleanup;

  @Autowired List<Integration> integrations;

  @Autowired FileService files;

  @Autowired FileStore store;

  @Autowired ApplicationEventPublisher publisher;

  @Autowired Clock clock;

  @Autowired dev.switchboard.platform.config.SwitchboardConfig config;

  final JsonMapper json = JsonMapper.builder().build();
  final HttpClient raw = HttpClient.newHttpClient();
  HttpTestClient http;
  String user;

  @BeforeEach
  void setUp() {
    http = new HttpTestClient(PORT);
    user = "usr_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
  }

  @Test
  void uploadWhenPresignedPutAndCompletedThenReadyDownloadableAndAnnouncedOnce() throws Exception {
    byte[] png = Samples.png();
    JsonNode presigned = presign(user, "Holiday photo.png", "image/png", png.length);
    assertThat(presigned.path("method").asString()).isEqualTo("PUT");
    assertThat(presigned.path("fileId").asString()).startsWith("file_");
    assertThat(presigned.path("headers").path("Content-Type").asString()).isEqualTo("image/png");
    assertThat(presigned.path("headers").path("Content-Length").asString())
        .isEqualTo(String.valueOf(png.length));
    assertThat(
            Duration.between(Instant.now(), Instant.parse(presigned.path("expiresAt").asString())))
        .isBetween(Duration.ofMinutes(9), Duration.ofMinutes(11));
    String id = presigned.path("fileId").asString();
    String key =
        jdbc()
            .sql("SELECT object_key FROM files WHERE id = ?")
            .param(id)
            .query(String.class)
            .single();
    assertThat(key).matches("^uploads/" + user + "/[0-9a-f-]{36}/holiday-photo\\.png$");

    assertThat(put(presigned, png, "image/png").statusCode()).isEqualTo(200);
    HttpResponse<String> completed =
        http.post("/api/files/" + id + "/complete", "", "X-Test-User", user);

    assertThat(completed.statusCode()).isEqualTo(200);
    JsonNode file = json.readTree(completed.body());
    assertThat(file.path("status").asString()).isEqualTo("ready");
    assertThat(file.path("detectedType").asString()).isEqualTo("image/png");
    HttpResponse<byte[]> download =
        raw.send(
            HttpRequest.newBuilder(URI.create(file.path("downloadUrl").asString())).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(download.body()).containsExactly(png);
    assertThat(download.headers().firstValue("Content-Disposition"))
        .hasValueSatisfying(
            d -> assertThat(d).startsWith("inline; filename=\"Holiday photo.png\""));
    assertThat(events.seen).containsOnlyOnce(new FileUploaded(id, user, "image/png", png.length));

    HttpResponse<String> again =
        http.post("/api/files/" + id + "/complete", "", "X-Test-User", user);
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(json.readTree(again.body()).path("status").asString()).isEqualTo("ready");
    assertThat(events.seen.stream().filter(e -> e.fileId().equals(id))).hasSize(1);
  }

  @Test
  void getWhenPdfThenMetadataAndAttachmentDownloadValidForFiveMinutes() throws Exception {
    String id = upload(user, "report.pdf", "application/pdf", Samples.pdf());

    JsonNode file = json.readTree(http.get("/api/files/" + id, "X-Test-User", user).body());

    assertThat(file.path("filename").asString()).isEqualTo("report.pdf");
    assertThat(file.path("size").asLong()).isEqualTo(Samples.pdf().length);
    assertThat(
            Duration.between(
                Instant.now(), Instant.parse(file.path("downloadExpiresAt").asString())))
        .isBetween(Duration.ofMinutes(4), Duration.ofMinutes(6));
    HttpResponse<byte[]> download =
        raw.send(
            HttpRequest.newBuilder(URI.create(file.path("downloadUrl").asString())).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(download.headers().firstValue("Content-Disposition"))
        .hasValueSatisfying(d -> assertThat(d).startsWith("attachment; filename=\"report.pdf\""));
  }

  @Test
  void uploadWhenSvgThenNeverServedInline() throws Exception {
    byte[] svg =
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>".getBytes();
    String id = upload(user, "logo.svg", "image/svg+xml", svg);

    JsonNode file = json.readTree(http.get("/api/files/" + id, "X-Test-User", user).body());
    HttpResponse<byte[]> download =
        raw.send(
            HttpRequest.newBuilder(URI.create(file.path("downloadUrl").asString())).build(),
            HttpResponse.BodyHandlers.ofByteArray());

    assertThat(download.headers().firstValue("Content-Disposition"))
        .hasValueSatisfying(d -> assertThat(d).startsWith("attachment;"));
  }

  @Test
  void completeWhenPdfBytesDeclaredAsPngThenRejectedAndObjectDeleted() throws Exception {
    assertRejectedAtComplete("invoice.png", "image/png", Samples.pdf());
  }

  @Test
  void completeWhenHtmlDeclaredAsPlainTextThenRejectedAndObjectDeleted() throws Exception {
    assertRejectedAtComplete("notes.txt", "text/plain", Samples.html());
  }

  @Test
  void completeWhenTheObjectHasNoRecordedTypeThenRejectedAndObjectDeleted() throws Exception {
    JsonNode presigned = presign(user, "untyped.png", "image/png", Samples.png().length);
    String id = presigned.path("fileId").asString();
    assertThat(put(presigned, Samples.png(), "image/png").statusCode()).isEqualTo(200);
    String key = objectKey(id);
    java.nio.file.Files.delete(
        config.core().dataDir().resolve("storage").resolve("types").resolve(key));

    HttpResponse<String> completed =
        http.post("/api/files/" + id + "/complete", "", "X-Test-User", user);

    assertError(completed, 422, "content_mismatch");
    assertThat(storage.head(key)).isEmpty();
    assertThat(status(id)).isEqualTo("rejected");
    assertThat(events.seen.stream().filter(e -> e.fileId().equals(id))).isEmpty();
  }

  @Test
  void completeWhenCsvDeclaredThenReadyAsTextHasNoMagicNumber() throws Exception {
    String id = upload(user, "amounts.csv", "text/csv", Samples.csv());
    JsonNode file = json.readTree(http.get("/api/files/" + id, "X-Test-User", user).body());
    assertThat(file.path("status").asString()).isEqualTo("ready");
    assertThat(file.path("contentType").asString()).isEqualTo("text/csv");
  }

  @Test
  void completeWhenNothingUploadedYetThen409AndStillPendingSoItCanBeCompletedLater()
      throws Exception {
    JsonNode presigned = presign(user, "late.png", "image/png", Samples.png().length);
    String id = presigned.path("fileId").asString();

    HttpResponse<String> early =
        http.post("/api/files/" + id + "/complete", "", "X-Test-User", user);

    assertError(early, 409, "upload_missing");
    assertThat(status(id)).isEqualTo("pending");
    put(presigned, Samples.png(), "image/png");
    assertThat(http.post("/api/files/" + id + "/complete", "", "X-Test-User", user).statusCode())
        .isEqualTo(200);
    assertThat(status(id)).isEqualTo("ready");
  }

  @Test
  void filesWhenAnotherUsersThen404ForCompleteGetAndDeleteAndNothingChanges() throws Exception {
    JsonNode presigned = presign(user, "mine.png", "image/png", Samples.png().length);
    String id = presigned.path("fileId").asString();
    put(presigned, Samples.png(), "image/png");
    String other = "usr_other" + UUID.randomUUID().toString().substring(0, 8);

    assertError(
        http.post("/api/files/" + id + "/complete", "", "X-Test-User", other), 404, "not_found");
    assertError(http.get("/api/files/" + id, "X-Test-User", other), 404, "not_found");
    assertError(
        http.send(
            HttpRequest.newBuilder(URI.create(http.base() + "/api/files/" + id)).DELETE(),
            "X-Test-User",
            other),
        404,
        "not_found");
    assertError(
        http.get("/api/files/file_000000000000000000000000", "X-Test-User", user),
        404,
        "not_found");

    assertThat(status(id)).isEqualTo("pending");
    assertThat(storage.head(objectKey(id))).isPresent();
  }

  @Test
  void deleteWhenOwnFileThenObjectAndRowGoneAndSecondDeleteIs404() throws Exception {
    String id = upload(user, "bye.png", "image/png", Samples.png());
    String key = objectKey(id);

    HttpResponse<String> first =
        http.send(
            HttpRequest.newBuilder(URI.create(http.base() + "/api/files/" + id)).DELETE(),
            "X-Test-User",
            user);
    HttpResponse<String> second =
        http.send(
            HttpRequest.newBuilder(URI.create(http.base() + "/api/files/" + id)).DELETE(),
            "X-Test-User",
            user);

    assertThat(first.statusCode()).isEqualTo(204);
    assertError(second, 404, "not_found");
    assertThat(storage.head(key)).isEmpty();
    assertThat(rows(id)).isZero();
  }

  @Test
  void deleteWhenPendingThenItsUploadUrlNoLongerStoresAnything() throws Exception {
    JsonNode presigned = presign(user, "changed-my-mind.png", "image/png", Samples.png().length);
    String id = presigned.path("fileId").asString();
    String key = objectKey(id);

    assertThat(
            http.send(
                    HttpRequest.newBuilder(URI.create(http.base() + "/api/files/" + id)).DELETE(),
                    "X-Test-User",
                    user)
                .statusCode())
        .isEqualTo(204);

    assertError(put(presigned, Samples.png(), "image/png"), 409, "already_uploaded");
    assertThat(storage.head(key)).isEmpty();
  }

  @Test
  void listWhenMoreThanALimitThenPagesWithCursorOnlyTheCallersFiles() throws Exception {
    for (int i = 0; i < 3; i++) {
      presign(user, "p" + i + ".png", "image/png", 10);
    }
    presign("usr_someone_else", "theirs.png", "image/png", 10);

    JsonNode first = json.readTree(http.get("/api/files?limit=2", "X-Test-User", user).body());
    assertThat(first.path("files")).hasSize(2);
    assertThat(first.path("files").get(0).path("filename").asString()).isEqualTo("p2.png");
    JsonNode second =
        json.readTree(
            http.get(
                    "/api/files?limit=2&cursor=" + first.path("next").asString(),
                    "X-Test-User",
                    user)
                .body());
    assertThat(second.path("files")).hasSize(1);
    assertThat(second.path("files").get(0).path("filename").asString()).isEqualTo("p0.png");
    assertThat(second.has("next")).isFalse();

    assertError(
        http.get("/api/files?cursor=bm9wZQ", "X-Test-User", user), 400, "validation_failed");
    assertError(http.get("/api/files?limit=1000", "X-Test-User", user), 400, "validation_failed");
  }

  static Stream<Arguments> badPresigns() {
    String thousand = "a".repeat(996) + ".png";
    return Stream.of(
        Arguments.of(
            "over the policy",
            "{\"filename\":\"big.png\",\"contentType\":\"image/png\",\"size\":5242881}",
            413,
            "file_too_large"),
        Arguments.of(
            "zero size",
            "{\"filename\":\"a.png\",\"contentType\":\"image/png\",\"size\":0}",
            400,
            "validation_failed"),
        Arguments.of(
            "negative size",
            "{\"filename\":\"a.png\",\"contentType\":\"image/png\",\"size\":-5}",
            400,
            "validation_failed"),
        Arguments.of(
            "no size",
            "{\"filename\":\"a.png\",\"contentType\":\"image/png\"}",
            400,
            "validation_failed"),
        Arguments.of(
            "disallowed type",
            "{\"filename\":\"a.zip\",\"contentType\":\"application/zip\",\"size\":10}",
            415,
            "type_not_allowed"),
        Arguments.of(
            "html type",
            "{\"filename\":\"a.html\",\"contentType\":\"text/html\",\"size\":10}",
            415,
            "type_not_allowed"),
        Arguments.of(
            "malformed type",
            "{\"filename\":\"a.png\",\"contentType\":\"png\",\"size\":10}",
            400,
            "validation_failed"),
        Arguments.of(
            "type with parameters",
            "{\"filename\":\"a.png\",\"contentType\":\"image/png; x=\\\"y\\\"\",\"size\":10}",
            400,
            "validation_failed"),
        Arguments.of("no type", "{\"filename\":\"a.png\",\"size\":10}", 400, "validation_failed"),
        Arguments.of(
            "path traversal",
            "{\"filename\":\"../../etc/passwd.png\",\"contentType\":\"image/png\",\"size\":10}",
            400,
            "validation_failed"),
        Arguments.of(
            "backslash path",
            "{\"filename\":\"..\\\\..\\\\a.png\",\"contentType\":\"image/png\",\"size\":10}",
            400,
            "validation_failed"),
        Arguments.of(
            "control characters",
            "{\"filename\":\"a\\u0000b\\n.png\",\"contentType\":\"image/png\",\"size\":10}",
            400,
            "validation_failed"),
        Arguments.of(
            "bidi override",
            "{\"filename\":\"a\\u202egnp.exe\",\"contentType\":\"image/png\",\"size\":10}",
            400,
            "validation_failed"),
        Arguments.of(
            "1,000 characters",
            "{\"filename\":\"" + thousand + "\",\"contentType\":\"image/png\",\"size\":10}",
            400,
            "validation_failed"),
        Arguments.of(
            "no filename", "{\"contentType\":\"image/png\",\"size\":10}", 400, "validation_failed"),
        Arguments.of(
            "size as text",
            "{\"filename\":\"a.png\",\"contentType\":\"image/png\",\"size\":\"big\"}",
            400,
            null),
        Arguments.of("not json", "filename=a.png", 400, null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badPresigns")
  void presignWhenBadInputThenErrorShapeAndNothingRecorded(
      String name, String body, int status, String code) {
    long before = allRows();

    HttpResponse<String> response = http.post("/api/files/presign", body, "X-Test-User", user);

    assertThat(response.statusCode()).isEqualTo(status);
    JsonNode error = json.readTree(response.body());
    assertThat(error.path("status").asInt()).isEqualTo(status);
    assertThat(error.path("requestId").asString()).isNotBlank();
    if (code != null) {
      assertThat(error.path("code").asString()).isEqualTo(code);
    }
    assertThat(allRows()).isEqualTo(before);
  }

  static final String PRESIGN_BODY =
      "{\"filename\":\"a.png\",\"contentType\":\"image/png\",\"size\":10}";

  static List<ApiScenario> presignCallers() {
    return List.of(
        ApiScenario.post("no caller", "/api/files/presign", PRESIGN_BODY)
            .expectError(401, "unauthenticated"),
        ApiScenario.post("unknown bearer", "/api/files/presign", PRESIGN_BODY)
            .header("Authorization", "Bearer not-a-key-nor-a-token")
            .expectError(401, "unauthenticated"),
        ApiScenario.post("key without files:write", "/api/files/presign", PRESIGN_BODY)
            .asKey("key_noscope")
            .expectError(403, "insufficient_scope"),
        ApiScenario.post("admin key", "/api/files/presign", PRESIGN_BODY)
            .header("Authorization", "Bearer " + TestKeys.ADMIN)
            .expectStatus(200),
        ApiScenario.post("signed-in user", "/api/files/presign", PRESIGN_BODY)
            .asUser("usr_scenario")
            .expectStatus(200),
        ApiScenario.get("list without caller", "/api/files").expectError(401, "unauthenticated"),
        ApiScenario.delete(
                "delete as key without scope", "/api/files/file_000000000000000000000000")
            .asKey("key_noscope")
            .expectError(403, "insufficient_scope"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("presignCallers")
  void filesRoutesWhenCallerGivenThenOneGuardAdmitsOrRefuses(ApiScenario scenario) {
    scenario.run(http);
  }

  @Test
  void cleanupWhenPendingOlderThanADayThenObjectAndRowDeletedAndMapShowsPending() throws Exception {
    JsonNode old = presign(user, "abandoned.png", "image/png", Samples.png().length);
    put(old, Samples.png(), "image/png");
    String oldId = old.path("fileId").asString();
    String fresh = presign(user, "fresh.png", "image/png", 10).path("fileId").asString();
    jdbc()
        .sql("UPDATE files SET created_at = ? WHERE id = ?")
        .params(java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).minusHours(25), oldId)
        .update();
    String key = objectKey(oldId);

    Integration box =
        integrations.stream().filter(i -> i.id().equals("storage")).findFirst().orElseThrow();
    assertThat(box.healthCheck().check().detail())
        .contains("data dir writable")
        .contains("pending uploads");
    assertThat(cleanup.run()).isGreaterThanOrEqualTo(1);

    assertThat(rows(oldId)).isZero();
    assertThat(storage.head(key)).isEmpty();
    assertThat(rows(fresh)).isOne();
  }

  @Test
  void cleanupWhenCompletedBetweenListingAndDeletingThenFileStaysReadyWithItsObject()
      throws Exception {
    JsonNode late = presign(user, "slow.png", "image/png", Samples.png().length);
    put(late, Samples.png(), "image/png");
    String id = late.path("fileId").asString();
    jdbc()
        .sql("UPDATE files SET created_at = ? WHERE id = ?")
        .params(java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).minusHours(25), id)
        .update();
    FileStore racing = Mockito.spy(store);
    Mockito.doAnswer(
            listing -> {
              Object listed = listing.callRealMethod();
              assertThat(
                      http.post("/api/files/" + id + "/complete", "", "X-Test-User", user)
                          .statusCode())
                  .isEqualTo(200);
              return listed;
            })
        .when(racing)
        .olderThan(
            ArgumentMatchers.eq(FileStatus.PENDING),
            ArgumentMatchers.any(),
            ArgumentMatchers.anyInt());

    new FileService(storage, racing, files.policy(), publisher, clock)
        .deleteAbandoned(PendingUploadCleanup.BATCH);

    assertThat(status(id)).isEqualTo("ready");
    assertThat(storage.head(objectKey(id))).isPresent();
  }

  private void assertRejectedAtComplete(String filename, String declared, byte[] bytes)
      throws Exception {
    JsonNode presigned = presign(user, filename, declared, bytes.length);
    String id = presigned.path("fileId").asString();
    assertThat(put(presigned, bytes, declared).statusCode()).isEqualTo(200);
    String key = objectKey(id);

    HttpResponse<String> completed =
        http.post("/api/files/" + id + "/complete", "", "X-Test-User", user);

    assertError(completed, 422, "content_mismatch");
    assertThat(storage.head(key)).isEmpty();
    assertError(put(presigned, bytes, declared), 409, "already_uploaded");
    assertThat(storage.head(key)).isEmpty();
    assertThat(status(id)).isEqualTo("rejected");
    assertThat(events.seen.stream().filter(e -> e.fileId().equals(id))).isEmpty();
    assertError(
        http.post("/api/files/" + id + "/complete", "", "X-Test-User", user),
        422,
        "content_mismatch");
    JsonNode file = json.readTree(http.get("/api/files/" + id, "X-Test-User", user).body());
    assertThat(file.has("downloadUrl")).isFalse();
  }

  JsonNode presign(String owner, String filename, String type, long size) {
    HttpResponse<String> response =
        http.post(
            "/api/files/presign",
            json.writeValueAsString(
                Map.of("filename", filename, "contentType", type, "size", size)),
            "X-Test-User",
            owner);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json.readTree(response.body());
  }

  String upload(String owner, String filename, String type, byte[] bytes) throws Exception {
    JsonNode presigned = presign(owner, filename, type, bytes.length);
    put(presigned, bytes, type);
    String id = presigned.path("fileId").asString();
    HttpResponse<String> completed =
        http.post("/api/files/" + id + "/complete", "", "X-Test-User", owner);
    assertThat(completed.statusCode()).as(completed.body()).isEqualTo(200);
    return id;
  }

  HttpResponse<String> put(JsonNode presigned, byte[] bytes, String type) throws Exception {
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
    assertThat(body.path("status").asInt()).isEqualTo(status);
    assertThat(body.path("requestId").asString()).isNotBlank();
  }

  JdbcClient jdbc() {
    return JdbcClient.create(dataSource);
  }

  String status(String id) {
    return jdbc()
        .sql("SELECT status FROM files WHERE id = ?")
        .param(id)
        .query(String.class)
        .single();
  }

  String objectKey(String id) {
    return jdbc()
        .sql("SELECT object_key FROM files WHERE id = ?")
        .param(id)
        .query(String.class)
        .single();
  }

  long rows(String id) {
    return jdbc()
        .sql("SELECT COUNT(*) FROM files WHERE id = ?")
        .param(id)
        .query(Long.class)
        .single();
  }

  long allRows() {
    return jdbc().sql("SELECT COUNT(*) FROM files").query(Long.class).single();
  }
}
