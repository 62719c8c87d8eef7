package dev.switchboard.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.platform.config.Secret;
import dev.switchboard.storage.PresignedRequest;
import dev.switchboard.storage.StoredObject;
import dev.switchboard.testing.S3ProxyProcess;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Upload URLs signed by {@link UploadSigner} against s3proxy, which checks SigV4 signatures as S3
 * does (S3Mock does not): the exact PUT is stored, one with another length or type is refused.
 */
class SignedUploadsIT {

  static S3ProxyProcess proxy;
  static S3ObjectStorage storage;
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    proxy = S3ProxyProcess.start();
    storage =
        new S3ObjectStorage(
            "s3",
            S3ProxyProcess.BUCKET,
            S3ProxyProcess.REGION,
            Optional.of(proxy.endpoint()),
            S3ProxyProcess.ACCESS_KEY,
            Secret.of(S3ProxyProcess.SECRET_KEY),
            Duration.ofSeconds(10));
  }

  @AfterAll
  static void stop() throws Exception {
    storage.close();
    proxy.close();
  }

  @Test
  void presignUploadWhenPutExactlyThenTheStoreAcceptsTheSignature() throws Exception {
    assertThat(storage.signsUploadsItself()).isTrue();
    String key = "uploads/key_it/" + UUID.randomUUID() + "/photo.png";
    byte[] bytes = new byte[1234];
    PresignedRequest upload =
        storage.presignUpload(key, "image/png", bytes.length, Duration.ofMinutes(10));

    HttpResponse<String> put = put(upload, "image/png", bytes);

    assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    assertThat(storage.head(key)).contains(new StoredObject(1234, "image/png"));
  }

  @Test
  void presignUploadWhenPutWithAnotherLengthOrTypeThenTheStoreRefusesIt() throws Exception {
    String key = "uploads/key_it/" + UUID.randomUUID() + "/photo.png";
    PresignedRequest upload = storage.presignUpload(key, "image/png", 10, Duration.ofMinutes(10));

    assertThat(put(upload, "image/png", new byte[11]).statusCode()).isEqualTo(403);
    assertThat(put(upload, "text/html", new byte[10]).statusCode()).isEqualTo(403);
    assertThat(storage.head(key)).isEmpty();
  }

  @Test
  void presignUploadWhenTheKeyNeedsEncodingThenTheSdkSignsItAndTheStoreAcceptsIt()
      throws Exception {
    String key = "uploads/key_it/" + UUID.randomUUID() + "/a b+c.png";
    PresignedRequest upload = storage.presignUpload(key, "image/png", 3, Duration.ofMinutes(10));

    assertThat(put(upload, "image/png", new byte[3]).statusCode()).isEqualTo(200);
    assertThat(storage.head(key)).isPresent();
  }

  private static HttpResponse<String> put(PresignedRequest upload, String type, byte[] body)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(upload.url())
            .timeout(Duration.ofSeconds(20))
            .header("Content-Type", type)
            .PUT(HttpRequest.BodyPublishers.ofByteArray(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
