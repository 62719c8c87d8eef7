package dev.switchboard.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.platform.integrations.HealthStatus;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ObjectStorage} adapter does, shown through its presigned URLs with a plain HTTP
 * client, as a browser or an app server would use them.
 */
public abstract class ObjectStorageContract {

  protected static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  protected static final byte[] PNG = Samples.png();
  private static final java.time.Instant FAR_FUTURE =
      java.time.Instant.parse("2100-01-01T00:00:00Z");

  protected abstract ObjectStorage storage();

  protected String key(String name) {
    return "uploads/contract/" + UUID.randomUUID() + "/" + name;
  }

  @Test
  void presignUploadWhenBytesPutWithSignedHeadersThenHeadPrefixAndDownloadReturnThem()
      throws Exception {
    String key = key("pixel.png");
    PresignedRequest upload =
        storage().presignUpload(key, "image/png", PNG.length, Duration.ofMinutes(10));

    assertThat(upload.method()).isEqualTo("PUT");
    assertThat(upload.headers())
        .containsEntry("Content-Type", "image/png")
        .containsEntry("Content-Length", Integer.toString(PNG.length));
    assertThat(put(upload, PNG).statusCode()).isEqualTo(200);

    assertThat(storage().head(key)).contains(new StoredObject(PNG.length, "image/png"));
    assertThat(storage().readPrefix(key, 8))
        .hasValueSatisfying(p -> assertThat(p).containsExactly(java.util.Arrays.copyOf(PNG, 8)));
    assertThat(storage().readPrefix(key, 1 << 16))
        .hasValueSatisfying(p -> assertThat(p).containsExactly(PNG));

    PresignedRequest download =
        storage()
            .presignDownload(
                key, "image/png", "inline; filename=\"pixel.png\"", Duration.ofMinutes(5));
    HttpResponse<byte[]> got = get(download);
    assertThat(got.statusCode()).isEqualTo(200);
    assertThat(got.body()).containsExactly(PNG);
    assertThat(got.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("image/png"));
    assertThat(got.headers().firstValue("Content-Disposition"))
        .contains("inline; filename=\"pixel.png\"");
  }

  @Test
  void presignDownloadWhenAttachmentAskedThenServedAsAttachmentWithTheGivenType() throws Exception {
    String key = key("page.svg");
    byte[] svg =
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"
            .getBytes(StandardCharsets.UTF_8);
    assertThat(
            put(
                    storage()
                        .presignUpload(key, "image/svg+xml", svg.length, Duration.ofMinutes(10)),
                    svg)
                .statusCode())
        .isEqualTo(200);

    HttpResponse<byte[]> got =
        get(
            storage()
                .presignDownload(
                    key,
                    "image/svg+xml",
                    "attachment; filename=\"page.svg\"",
                    Duration.ofMinutes(5)));

    assertThat(got.statusCode()).isEqualTo(200);
    assertThat(got.headers().firstValue("Content-Disposition"))
        .contains("attachment; filename=\"page.svg\"");
  }

  @Test
  void headWhenNothingUploadedThenEmpty() {
    String key = key("missing.png");
    assertThat(storage().head(key)).isEmpty();
    assertThat(storage().readPrefix(key, 16)).isEmpty();
  }

  @Test
  void deleteWhenPresentThenGoneAndDeletingAgainIsNoError() throws Exception {
    String key = key("gone.png");
    put(storage().presignUpload(key, "image/png", PNG.length, Duration.ofMinutes(10)), PNG);
    assertThat(storage().head(key)).isPresent();

    storage().delete(key);
    storage().delete(key);

    assertThat(storage().head(key)).isEmpty();
  }

  @Test
  void presignUploadWhenCalledThenExpiresAfterTheValidityAsked() {
    PresignedRequest upload =
        storage().presignUpload(key("x.png"), "image/png", 10, Duration.ofMinutes(10));
    assertThat(Duration.between(java.time.Instant.now(), upload.expiresAt()))
        .isBetween(Duration.ofMinutes(9), Duration.ofMinutes(11));
  }

  /**
   * True when the store itself refuses a PUT to a deleted key (the local provider's markers); S3
   * and R2 do not.
   */
  protected boolean refusesDeletedKeys() {
    return false;
  }

  @Test
  void deleteWhenUploadUrlUsedAgainThenCleanupDeletesTheObjectOnceTheUrlExpiredNotBefore()
      throws Exception {
    try (FileFlow files = new FileFlow(storage())) {
      FileService.Upload upload =
          files.service.presign("usr_contract", "gone.png", "image/png", (long) PNG.length);
      assertThat(put(upload.request(), PNG).statusCode()).isEqualTo(200);
      String key = upload.file().key();

      files.service.delete("usr_contract", upload.file().id());
      HttpResponse<String> again = put(upload.request(), PNG);

      assertReplayed(again, key);
      String id = upload.file().id();
      assertNotFound(() -> files.service.get("usr_contract", id));
      assertNotFound(() -> files.service.complete("usr_contract", id));
      assertNotFound(() -> files.service.delete("usr_contract", id));
      assertThat(
              files
                  .service
                  .list(java.util.Optional.of("usr_contract"), java.util.Optional.empty(), 10)
                  .files())
          .isEmpty();
      assertSweptOnlyAfterExpiry(files, upload, key, again);
    }
  }

  @Test
  void rejectWhenUploadUrlUsedAgainThenCleanupDeletesTheObjectOnceTheUrlExpiredNotBefore()
      throws Exception {
    byte[] pdf = Samples.pdf();
    try (FileFlow files = new FileFlow(storage())) {
      FileService.Upload upload =
          files.service.presign("usr_contract", "cat.png", "image/png", (long) pdf.length);
      assertThat(put(upload.request(), pdf).statusCode()).isEqualTo(200);
      String key = upload.file().key();
      String id = upload.file().id();
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> files.service.complete("usr_contract", id))
          .isInstanceOfSatisfying(
              dev.switchboard.platform.http.ApiException.class,
              e -> assertThat(e.code()).isEqualTo("content_mismatch"));

      HttpResponse<String> again = put(upload.request(), pdf);

      assertReplayed(again, key);
      assertThat(files.service.get("usr_contract", id).file().status())
          .isEqualTo(FileStatus.REJECTED);
      assertThat(files.service.get("usr_contract", id).download()).isEmpty();
      assertSweptOnlyAfterExpiry(files, upload, key, again);
    }
  }

  @Test
  void deleteWhenPendingRetentionPassedThenNothingRemembered() throws Exception {
    try (FileFlow files = new FileFlow(storage())) {
      FileService.Upload upload =
          files.service.presign("usr_contract", "old.png", "image/png", (long) PNG.length);
      files.clock.advance(FileService.PENDING_RETENTION);

      files.service.delete("usr_contract", upload.file().id());

      assertThat(remembered(files)).isEmpty();
    }
  }

  /**
   * The store checks a URL's expiry only when a PUT starts, so a slow upload begun before the
   * expiry can complete after the first sweep: the key is kept, and deleted again {@link
   * FileService#PENDING_RETENTION} after the upload was created, then forgotten. The late upload is
   * a PUT after the first sweep (the URL is still valid on the store's own clock).
   */
  @Test
  void deleteWhenUploadCompletesAfterTheFirstSweepThenTheLastSweepDeletesItAndForgetsTheKey()
      throws Exception {
    try (FileFlow files = new FileFlow(storage())) {
      FileService.Upload upload =
          files.service.presign("usr_contract", "slow.png", "image/png", (long) PNG.length);
      String key = upload.file().key();
      files.service.delete("usr_contract", upload.file().id());
      files.clock.set(
          upload
              .file()
              .createdAt()
              .plus(FileService.UPLOAD_URL_VALIDITY)
              .plus(FileService.URL_EXPIRY_MARGIN)
              .plusSeconds(1));
      assertThat(files.service.sweepTombstones(PendingUploadCleanup.BATCH)).isOne();

      HttpResponse<String> late = put(upload.request(), PNG);

      assertReplayed(late, key);
      java.time.Instant last = upload.file().createdAt().plus(FileService.PENDING_RETENTION);
      files.clock.set(last.minusSeconds(1));
      assertThat(files.service.sweepTombstones(PendingUploadCleanup.BATCH)).isZero();
      assertThat(storage().head(key).isPresent()).isEqualTo(late.statusCode() == 200);
      assertThat(remembered(files)).containsExactly(key);

      files.clock.set(last.plusSeconds(1));
      assertThat(files.service.sweepTombstones(PendingUploadCleanup.BATCH)).isOne();

      assertThat(storage().head(key)).isEmpty();
      assertThat(remembered(files)).isEmpty();
    }
  }

  private static java.util.List<String> remembered(FileFlow files) {
    return files.store.tombstonesDue(FAR_FUTURE, 10).stream()
        .map(FileStore.Tombstone::key)
        .toList();
  }

  private void assertReplayed(HttpResponse<String> again, String key) {
    if (refusesDeletedKeys()) {
      assertThat(again.statusCode()).isEqualTo(409);
      assertThat(storage().head(key)).isEmpty();
    } else {
      assertThat(again.statusCode()).isEqualTo(200);
      assertThat(storage().head(key)).isPresent();
    }
  }

  /**
   * One second before the URL's expiry plus the margin the object is untouched; one second after it
   * is gone, and the key is kept for the last sweep.
   */
  private void assertSweptOnlyAfterExpiry(
      FileFlow files, FileService.Upload upload, String key, HttpResponse<String> again) {
    java.time.Instant usableUntil =
        upload
            .file()
            .createdAt()
            .plus(FileService.UPLOAD_URL_VALIDITY)
            .plus(FileService.URL_EXPIRY_MARGIN);
    files.clock.set(usableUntil.minusSeconds(1));
    assertThat(files.service.sweepTombstones(PendingUploadCleanup.BATCH)).isZero();
    assertThat(storage().head(key).isPresent()).isEqualTo(again.statusCode() == 200);
    assertThat(remembered(files)).containsExactly(key);

    files.clock.set(usableUntil.plusSeconds(1));
    assertThat(files.service.sweepTombstones(PendingUploadCleanup.BATCH)).isOne();

    assertThat(storage().head(key)).isEmpty();
    assertThat(remembered(files)).containsExactly(key);
    assertThat(files.service.sweepTombstones(PendingUploadCleanup.BATCH)).isZero();
  }

  private static void assertNotFound(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
    org.assertj.core.api.Assertions.assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            dev.switchboard.platform.http.ApiException.class,
            e -> assertThat(e.status()).isEqualTo(404));
  }

  /** The upload flow over this adapter, on a database of its own and a clock the test moves. */
  static final class FileFlow implements AutoCloseable {
    final com.zaxxer.hikari.HikariDataSource dataSource = FilesDatabase.h2();
    final JdbcFileStore store = FileStoreContract.storeOn(dataSource);
    final dev.switchboard.testing.ManualClock clock =
        new dev.switchboard.testing.ManualClock(
            java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    final FileService service;

    FileFlow(ObjectStorage storage) {
      service =
          new FileService(
              storage,
              store,
              new UploadPolicy(Map.of("image/*", 5L * 1024 * 1024)),
              event -> {},
              clock);
    }

    @Override
    public void close() {
      dataSource.close();
    }
  }

  @Test
  void healthWhenStoreUsableThenUp() {
    assertThat(storage().health().status()).isEqualTo(HealthStatus.UP);
  }

  /**
   * PUTs like a plain client: the signed headers as given, except those the HTTP library sets
   * itself.
   */
  protected static HttpResponse<String> put(PresignedRequest upload, byte[] body)
      throws IOException, InterruptedException {
    return put(upload, body, Map.of());
  }

  protected static HttpResponse<String> put(
      PresignedRequest upload, byte[] body, Map<String, String> override)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(upload.url())
            .timeout(Duration.ofSeconds(20))
            .PUT(HttpRequest.BodyPublishers.ofByteArray(body));
    Map<String, String> headers = new java.util.LinkedHashMap<>(upload.headers());
    headers.putAll(override);
    headers.forEach(
        (name, value) -> {
          if (!name.equalsIgnoreCase("Content-Length") && !name.equalsIgnoreCase("Host")) {
            request.header(name, value);
          }
        });
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  protected static HttpResponse<byte[]> get(PresignedRequest download)
      throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(download.url()).timeout(Duration.ofSeconds(20)).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }
}
