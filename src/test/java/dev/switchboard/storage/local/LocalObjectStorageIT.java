package dev.switchboard.storage.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.storage.ObjectStorage;
import dev.switchboard.storage.ObjectStorageContract;
import dev.switchboard.storage.PresignedRequest;
import dev.switchboard.storage.Samples;
import dev.switchboard.testing.FreePort;
import dev.switchboard.testing.ManualClock;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The local provider through its own HTTP routes: the same contract as S3, and the store itself
 * refusing what S3 refuses (another length or type than signed, an expired or edited URL).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
class LocalObjectStorageIT extends ObjectStorageContract {

  static final int PORT = FreePort.next();
  static final String DIR = "target/it-data/storage-local-" + UUID.randomUUID();

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("SWITCHBOARD_DATA_DIR", () -> DIR);
    registry.add("PORT", () -> PORT);
    registry.add("SWITCHBOARD_PUBLIC_URL", () -> "http://127.0.0.1:" + PORT);
  }

  @Autowired ObjectStorage storage;

  @Autowired SwitchboardConfig config;

  final JsonMapper json = JsonMapper.builder().build();

  @Autowired dev.switchboard.storage.PendingUploadCleanup cleanup;

  @Override
  protected ObjectStorage storage() {
    return storage;
  }

  @Override
  protected boolean refusesDeletedKeys() {
    return true;
  }

  @Test
  void storageWhenNoProviderConfiguredThenLocalUnderTheDataDir() {
    assertThat(storage).isInstanceOf(LocalObjectStorage.class);
    assertThat(config.core().dataDir().resolve("storage").resolve(LocalSigningKey.FILE_NAME))
        .exists();
  }

  @Test
  void putWhenMoreOrFewerBytesThanSignedThenRefusedAndNothingStored() throws Exception {
    String key = key("a.png");
    PresignedRequest upload =
        storage.presignUpload(key, "image/png", PNG.length, Duration.ofMinutes(10));

    byte[] more = java.util.Arrays.copyOf(PNG, PNG.length + 10);
    byte[] fewer = java.util.Arrays.copyOf(PNG, PNG.length - 10);
    assertRefused(put(upload, more), 403, "signature_mismatch");
    assertRefused(put(upload, fewer), 403, "signature_mismatch");
    assertThat(storage.head(key)).isEmpty();
  }

  @Test
  void putWhenContentTypeDiffersFromSignedThenRefusedAndNothingStored() throws Exception {
    String key = key("a.png");
    PresignedRequest upload =
        storage.presignUpload(key, "image/png", PNG.length, Duration.ofMinutes(10));

    assertRefused(put(upload, PNG, Map.of("Content-Type", "text/html")), 403, "signature_mismatch");
    assertThat(storage.head(key)).isEmpty();
  }

  @Test
  void putWhenUrlExpiredThenRefusedWithUrlExpired() throws Exception {
    String key = key("late.png");
    ManualClock past = new ManualClock(Instant.now().minus(Duration.ofMinutes(11)));
    LocalObjectStorage signedEarlier =
        new LocalObjectStorage(
            config.core().dataDir().resolve("storage"), config.core().publicUrl(), past);
    PresignedRequest upload =
        signedEarlier.presignUpload(key, "image/png", PNG.length, Duration.ofMinutes(10));

    assertRefused(put(upload, PNG), 403, "url_expired");
    assertThat(storage.head(key)).isEmpty();
  }

  @Test
  void putWhenUrlTamperedThenRefused() throws Exception {
    String key = key("a.png");
    PresignedRequest upload =
        storage.presignUpload(key, "image/png", PNG.length, Duration.ofMinutes(10));
    String url = upload.url().toString();
    String otherKey = url.replace("/a.png?", "/b.png?");
    long expires = Long.parseLong(url.replaceAll(".*expires=(\\d+).*", "$1"));
    String later = url.replace("expires=" + expires, "expires=" + (expires + 3600));
    String flipped = url.substring(0, url.length() - 1) + (url.endsWith("0") ? "1" : "0");
    String unsigned = url.replaceAll("&signature=.*", "");

    for (String tampered : new String[] {otherKey, later, flipped, unsigned}) {
      PresignedRequest edited =
          new PresignedRequest(URI.create(tampered), "PUT", upload.headers(), upload.expiresAt());
      assertRefused(put(edited, PNG), 403, "signature_mismatch");
    }
    assertThat(storage.head(key)).isEmpty();
  }

  @Test
  void getWhenDownloadUrlTamperedOrExpiredThenRefused() throws Exception {
    String key = key("a.png");
    put(storage.presignUpload(key, "image/png", PNG.length, Duration.ofMinutes(10)), PNG);
    PresignedRequest download =
        storage.presignDownload(
            key, "image/png", "attachment; filename=\"a.png\"", Duration.ofMinutes(5));
    String inline =
        download.url().toString().replace("disposition=attachment", "disposition=inline");
    String html = download.url().toString().replace("type=image%2Fpng", "type=text%2Fhtml");

    for (String tampered : new String[] {inline, html}) {
      HttpResponse<byte[]> got =
          get(new PresignedRequest(URI.create(tampered), "GET", Map.of(), download.expiresAt()));
      assertThat(got.statusCode()).isEqualTo(403);
    }
    LocalObjectStorage past =
        new LocalObjectStorage(
            config.core().dataDir().resolve("storage"),
            config.core().publicUrl(),
            new ManualClock(Instant.now().minus(Duration.ofMinutes(6))));
    assertThat(
            get(past.presignDownload(key, "image/png", "inline", Duration.ofMinutes(5)))
                .statusCode())
        .isEqualTo(403);
  }

  @Test
  void getWhenServedThenNoSniffAndSandboxed() throws Exception {
    String key = key("a.png");
    put(storage.presignUpload(key, "image/png", PNG.length, Duration.ofMinutes(10)), PNG);

    HttpResponse<byte[]> got =
        get(storage.presignDownload(key, "image/png", "inline", Duration.ofMinutes(5)));

    assertThat(got.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    assertThat(got.headers().firstValue("Content-Security-Policy"))
        .hasValueSatisfying(c -> assertThat(c).contains("sandbox").contains("default-src 'none'"));
  }

  @Test
  void putWhenKeyEscapesTheStoreThenNotFoundAndNothingWritten() throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:"
                            + PORT
                            + "/storage/local/uploads/%2e%2e/%2e%2e/escape.png?expires=1&signature=x"))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(PNG))
                .header("Content-Type", "image/png")
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isIn(400, 403, 404);
    assertThat(Files.exists(Path.of(DIR, "storage", "escape.png"))).isFalse();
  }

  @Test
  void signingKeyWhenRestartedThenSameKeySoEarlierUrlsStillWork() throws Exception {
    String key = key("again.png");
    LocalObjectStorage restarted =
        new LocalObjectStorage(
            config.core().dataDir().resolve("storage"),
            config.core().publicUrl(),
            java.time.Clock.systemUTC());

    assertThat(
            put(restarted.presignUpload(key, "image/png", PNG.length, Duration.ofMinutes(10)), PNG)
                .statusCode())
        .isEqualTo(200);
  }

  private void assertRefused(HttpResponse<String> response, int status, String code) {
    assertThat(response.statusCode()).isEqualTo(status);
    JsonNode body = json.readTree(response.body());
    assertThat(body.path("code").asString()).isEqualTo(code);
    assertThat(body.path("requestId").asString()).isNotBlank();
  }

  @Test
  void putWhenLargerThanTheDefaultBodyLimitButWithinPolicyThenStored() throws Exception {
    String key = key("big.png");
    byte[] big = java.util.Arrays.copyOf(PNG, 3 * 1024 * 1024);

    assertThat(
            put(storage.presignUpload(key, "image/png", big.length, Duration.ofMinutes(10)), big)
                .statusCode())
        .isEqualTo(200);
    assertThat(storage.head(key))
        .hasValueSatisfying(o -> assertThat(o.size()).isEqualTo(big.length));
  }

  @Test
  void putWhenUrlUsedAgainThenRefusedAndFirstBytesKept() throws Exception {
    String key = key("once.png");
    PresignedRequest upload =
        storage.presignUpload(key, "image/png", PNG.length, Duration.ofMinutes(10));
    assertThat(put(upload, PNG).statusCode()).isEqualTo(200);

    byte[] other = java.util.Arrays.copyOf(Samples.pdf(), PNG.length);
    assertRefused(put(upload, other), 409, "already_uploaded");
    assertThat(storage.readPrefix(key, 1 << 16))
        .hasValueSatisfying(b -> assertThat(b).containsExactly(PNG));
  }

  @Test
  void putWhenObjectDeletedThenSameUrlRefusedAndNothingStoredAgain() throws Exception {
    String uploaded = key("rejected.png");
    PresignedRequest first =
        storage.presignUpload(uploaded, "image/png", PNG.length, Duration.ofMinutes(10));
    assertThat(put(first, PNG).statusCode()).isEqualTo(200);
    String never = key("abandoned.png");
    PresignedRequest unused =
        storage.presignUpload(never, "image/png", PNG.length, Duration.ofMinutes(10));

    storage.delete(uploaded);
    storage.delete(never);

    assertRefused(put(first, PNG), 409, "already_uploaded");
    assertRefused(put(unused, PNG), 409, "already_uploaded");
    assertThat(storage.head(uploaded)).isEmpty();
    assertThat(storage.head(never)).isEmpty();
  }

  @Test
  void
      cleanupWhenDeletedKeyMarkersOlderThanUrlLifeDeadlineAndMarginThenRemovedYoungerOnesKeptAndStillRefuse()
          throws Exception {
    Duration needed = Duration.ofMinutes(35);
    assertThat(LocalObjectStorage.MARKER_RETENTION).isEqualTo(needed);
    Path storageDir = config.core().dataDir().resolve("storage");
    String fresh = key("fresh.png");
    PresignedRequest freshUrl =
        storage.presignUpload(fresh, "image/png", PNG.length, Duration.ofMinutes(10));
    storage.delete(fresh);
    String almost = key("almost.png");
    new LocalObjectStorage(
            storageDir,
            config.core().publicUrl(),
            new ManualClock(Instant.now().minus(needed).plusSeconds(60)))
        .delete(almost);
    String old = key("old.png");
    new LocalObjectStorage(
            storageDir,
            config.core().publicUrl(),
            new ManualClock(Instant.now().minus(needed).minusSeconds(60)))
        .delete(old);
    Path deleted = storageDir.resolve("deleted");

    cleanup.run();

    assertThat(deleted.resolve(old)).doesNotExist();
    assertThat(deleted.resolve(old).getParent()).doesNotExist();
    assertThat(deleted.resolve(almost)).exists();
    assertThat(deleted.resolve(fresh)).exists();
    assertRefused(put(freshUrl, PNG), 409, "already_uploaded");
    assertThat(storage.head(fresh)).isEmpty();
  }

  @Test
  void presignUploadWhenLongerThanTheMarkersCoverThenRefused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                storage.presignUpload(
                    key("long.png"),
                    "image/png",
                    PNG.length,
                    LocalObjectStorage.MAX_UPLOAD_VALIDITY.plusSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * An upload started within its URL's life, whose file is deleted while the body arrives and whose
   * marker is pruned before the body ends (35 minutes after the delete): refused at the deadline,
   * before anything is moved into place, so nothing is stored where no row, tombstone or marker
   * would find it.
   */
  @Test
  void
      acceptUploadWhenBodyEndsAfterTheDeadlineAndTheMarkerWasPrunedMeanwhileThenRefusedAndNothingStored()
          throws Exception {
    Path dir = Path.of(DIR).resolve("slow-" + UUID.randomUUID());
    ManualClock clock = new ManualClock(Instant.now());
    LocalObjectStorage slow = new LocalObjectStorage(dir, config.core().publicUrl(), clock);
    String key = key("slow.png");
    PresignedRequest upload =
        slow.presignUpload(key, "image/png", PNG.length, Duration.ofMinutes(10));
    java.io.InputStream body =
        whileArriving(
            () -> {
              slow.delete(key);
              clock.advance(LocalObjectStorage.MARKER_RETENTION.plusMinutes(1));
              assertThat(slow.forgetDeletedKeys()).isOne();
            });

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> accept(slow, key, upload, body))
        .isInstanceOfSatisfying(
            dev.switchboard.platform.http.ApiException.class,
            e -> assertThat(e.code()).isEqualTo("url_expired"));

    assertThat(slow.head(key)).isEmpty();
    try (var left = Files.walk(dir.resolve("objects"))) {
      assertThat(left.filter(Files::isRegularFile)).isEmpty();
    }
    assertThat(dir.resolve("objects").resolve(key).getParent()).doesNotExist();
  }

  @Test
  void acceptUploadWhenTheBodyEndsShortThenRefusedAndNoFolderLeftBehind() {
    Path dir = Path.of(DIR).resolve("short-" + UUID.randomUUID());
    LocalObjectStorage local =
        new LocalObjectStorage(dir, config.core().publicUrl(), new ManualClock(Instant.now()));
    String key = key("short.png");
    PresignedRequest upload =
        local.presignUpload(key, "image/png", PNG.length, Duration.ofMinutes(10));

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                accept(
                    local, key, upload, new java.io.ByteArrayInputStream(PNG, 0, PNG.length - 1)))
        .isInstanceOfSatisfying(
            dev.switchboard.platform.http.ApiException.class,
            e -> assertThat(e.code()).isEqualTo("incomplete_body"));

    assertThat(dir.resolve("objects").resolve(key).getParent()).doesNotExist();
    assertThat(dir.resolve("objects").resolve("uploads")).doesNotExist();
  }

  @Test
  void acceptUploadWhenBodyEndsAfterTheExpiryButBeforeTheDeadlineThenStored() {
    ManualClock clock = new ManualClock(Instant.now());
    LocalObjectStorage slow =
        new LocalObjectStorage(
            Path.of(DIR).resolve("slow-" + UUID.randomUUID()), config.core().publicUrl(), clock);
    String key = key("slow-ok.png");
    PresignedRequest upload =
        slow.presignUpload(key, "image/png", PNG.length, Duration.ofMinutes(10));

    accept(slow, key, upload, whileArriving(() -> clock.advance(Duration.ofMinutes(19))));

    assertThat(slow.head(key)).hasValueSatisfying(o -> assertThat(o.size()).isEqualTo(PNG.length));
  }

  @Test
  void deleteThenTheFoldersItLeftEmptyAreGoneAndTheOnesStillUsedKept() throws Exception {
    String kept = key("kept.png");
    String gone = key("gone.png");
    assertThat(
            put(storage.presignUpload(kept, "image/png", PNG.length, Duration.ofMinutes(10)), PNG)
                .statusCode())
        .isEqualTo(200);
    assertThat(
            put(storage.presignUpload(gone, "image/png", PNG.length, Duration.ofMinutes(10)), PNG)
                .statusCode())
        .isEqualTo(200);
    Path storageDir = config.core().dataDir().resolve("storage");

    storage.delete(gone);

    for (String root : java.util.List.of("objects", "types")) {
      assertThat(storageDir.resolve(root).resolve(gone).getParent()).doesNotExist();
      assertThat(storageDir.resolve(root).resolve(kept)).exists();
    }
    assertThat(storage.head(kept)).isPresent();
  }

  /**
   * A folder where the type file goes makes writing the type fail: the object is not moved into
   * place either, so the same URL works once the type can be written, rather than answering 409 for
   * an object without a type.
   */
  @Test
  void putWhenTheTypeCannotBeWrittenThenNothingStoredAndTheSameUrlWorksOnceItCan()
      throws Exception {
    String key = key("typeless.png");
    PresignedRequest upload =
        storage.presignUpload(key, "image/png", PNG.length, Duration.ofMinutes(10));
    Path storageDir = config.core().dataDir().resolve("storage");
    Path blocked = Files.createDirectories(storageDir.resolve("types").resolve(key));

    assertThat(put(upload, PNG).statusCode()).isEqualTo(503);

    assertThat(storage.head(key)).isEmpty();
    assertThat(storageDir.resolve("objects").resolve(key)).doesNotExist();
    Files.delete(blocked);
    assertThat(put(upload, PNG).statusCode()).isEqualTo(200);
    assertThat(storage.head(key))
        .contains(new dev.switchboard.storage.StoredObject(PNG.length, "image/png"));
  }

  private static void accept(
      LocalObjectStorage adapter, String key, PresignedRequest upload, java.io.InputStream body) {
    Map<String, String> query = new java.util.HashMap<>();
    for (String pair : upload.url().getRawQuery().split("&")) {
      String[] kv = pair.split("=", 2);
      query.put(kv[0], kv[1]);
    }
    adapter.acceptUpload(
        key, query.get("expires"), query.get("signature"), "image/png", PNG.length, body);
  }

  /**
   * The PNG's bytes, running {@code meanwhile} after the first half arrived, as a slow client's
   * body would.
   */
  private static java.io.InputStream whileArriving(Runnable meanwhile) {
    int half = PNG.length / 2;
    return new java.io.SequenceInputStream(
        new java.io.ByteArrayInputStream(PNG, 0, half),
        new java.io.InputStream() {
          java.io.InputStream rest;

          @Override
          public int read() throws java.io.IOException {
            if (rest == null) {
              meanwhile.run();
              rest = new java.io.ByteArrayInputStream(PNG, half, PNG.length - half);
            }
            return rest.read();
          }
        });
  }
}
