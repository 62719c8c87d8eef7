package dev.switchboard.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.platform.config.Secret;
import dev.switchboard.platform.integrations.HealthStatus;
import dev.switchboard.storage.ObjectStorage;
import dev.switchboard.storage.ObjectStorageContract;
import dev.switchboard.storage.PresignedRequest;
import dev.switchboard.testing.S3MockProcess;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The S3 adapter against Adobe S3Mock, a real S3-protocol server (run as its own process). */
class S3ObjectStorageIT extends ObjectStorageContract {

  static S3ObjectStorage storage;

  @BeforeAll
  static void start() throws Exception {
    storage =
        new S3ObjectStorage(
            "s3",
            S3MockProcess.BUCKET,
            "us-east-1",
            Optional.of(S3MockProcess.shared().endpoint()),
            "AKIAEXAMPLEKEY12345",
            Secret.of("s3-test-secret-value"),
            Duration.ofSeconds(10));
  }

  @AfterAll
  static void stop() {
    storage.close();
  }

  @Override
  protected ObjectStorage storage() {
    return storage;
  }

  @Test
  void presignUploadWhenMadeThenTypeAndExactLengthAreSignedSoS3RefusesOthers() {
    PresignedRequest upload =
        storage.presignUpload(key("a.png"), "image/png", 1234, Duration.ofMinutes(10));

    String query = URLDecoder.decode(upload.url().getRawQuery(), StandardCharsets.UTF_8);
    assertThat(query)
        .contains("X-Amz-SignedHeaders=content-length;content-type;host")
        .contains("X-Amz-Expires=600")
        .contains("X-Amz-Credential=AKIAEXAMPLEKEY12345/")
        .doesNotContain("s3-test-secret-value")
        .doesNotContainIgnoringCase("x-amz-checksum")
        .doesNotContainIgnoringCase("x-amz-sdk-checksum");
    assertThat(upload.url().getPath()).startsWith("/" + S3MockProcess.BUCKET + "/uploads/");
    assertThat(upload.headers())
        .containsOnlyKeys("Content-Type", "Content-Length")
        .containsEntry("Content-Length", "1234");
  }

  @Test
  void presignDownloadWhenMadeThenDispositionAndTypeAreResponseOverrides() {
    PresignedRequest download =
        storage.presignDownload(
            "uploads/u/1/a.pdf",
            "application/pdf",
            "attachment; filename=\"a.pdf\"",
            Duration.ofMinutes(5));

    String query = URLDecoder.decode(download.url().getRawQuery(), StandardCharsets.UTF_8);
    assertThat(query)
        .contains("response-content-disposition=attachment; filename=\"a.pdf\"")
        .contains("response-content-type=application/pdf")
        .contains("X-Amz-Expires=300");
  }

  @Test
  void healthWhenBucketMissingThenDownWithoutSecrets() throws Exception {
    try (S3ObjectStorage missing =
        new S3ObjectStorage(
            "s3",
            "no-such-bucket",
            "us-east-1",
            Optional.of(S3MockProcess.shared().endpoint()),
            "AKIAEXAMPLEKEY12345",
            Secret.of("s3-test-secret-value"),
            Duration.ofSeconds(10))) {
      var health = missing.health();
      assertThat(health.status()).isEqualTo(HealthStatus.DOWN);
      assertThat(health.detail())
          .contains("no-such-bucket")
          .contains("404")
          .doesNotContain("s3-test-secret-value");
    }
  }

  @Test
  void headWhenStoreUnreachableThenRetryableStorageExceptionAndHealthDown() {
    int closed = dev.switchboard.testing.FreePort.next();
    try (S3ObjectStorage away =
        new S3ObjectStorage(
            "r2",
            S3MockProcess.BUCKET,
            "auto",
            Optional.of(java.net.URI.create("http://127.0.0.1:" + closed)),
            "AKIAEXAMPLEKEY12345",
            Secret.of("s3-test-secret-value"),
            Duration.ofSeconds(2))) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> away.head("uploads/x"))
          .isInstanceOfSatisfying(
              dev.switchboard.storage.StorageException.class,
              e -> {
                assertThat(e.retryable()).isTrue();
                assertThat(e.getMessage()).doesNotContain("s3-test-secret-value");
              });
      assertThat(away.health().status()).isEqualTo(HealthStatus.DOWN);
    }
  }
}
