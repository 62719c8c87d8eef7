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
 * What every {@link ObjectStorage} adapter does, shown through its presigned URLs with a plain HTTP client, as a
 * browser or an app server would use them.
 */
public abstract class ObjectStorageContract {

  protected static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  protected static final byte[] PNG = Samples.png();

  protected abstract ObjectStorage storage();

  protected String key(String name) {
    return "uploads/contract/" + UUID.randomUUID() + "/" + name;
  }

  @Test
  void presignUploadWhenBytesPutWithSignedHeadersThenHeadPrefixAndDownloadReturnThem() throws Exception {
    String key = key("pixel.png");
    PresignedRequest upload = storage().presignUpload(key, "image/png", PNG.length, Duration.ofMinutes(10));

    assertThat(upload.method()).isEqualTo("PUT");
    assertThat(upload.headers()).containsEntry("Content-Type", "image/png")
        .containsEntry("Content-Length", Integer.toString(PNG.length));
    assertThat(put(upload, PNG).statusCode()).isEqualTo(200);

    assertThat(storage().head(key)).contains(new StoredObject(PNG.length, "image/png"));
    assertThat(storage().readPrefix(key, 8)).hasValueSatisfying(p -> assertThat(p).containsExactly(
        java.util.Arrays.copyOf(PNG, 8)));
    assertThat(storage().readPrefix(key, 1 << 16)).hasValueSatisfying(p -> assertThat(p).containsExactly(PNG));

    PresignedRequest download = storage().presignDownload(key, "image/png", "inline; filename=\"pixel.png\"",
        Duration.ofMinutes(5));
    HttpResponse<byte[]> got = get(download);
    assertThat(got.statusCode()).isEqualTo(200);
    assertThat(got.body()).containsExactly(PNG);
    assertThat(got.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("image/png"));
    assertThat(got.headers().firstValue("Content-Disposition")).contains("inline; filename=\"pixel.png\"");
  }

  @Test
  void presignDownloadWhenAttachmentAskedThenServedAsAttachmentWithTheGivenType() throws Exception {
    String key = key("page.svg");
    byte[] svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"
        .getBytes(StandardCharsets.UTF_8);
    assertThat(put(storage().presignUpload(key, "image/svg+xml", svg.length, Duration.ofMinutes(10)), svg)
        .statusCode()).isEqualTo(200);

    HttpResponse<byte[]> got = get(storage().presignDownload(key, "image/svg+xml",
        "attachment; filename=\"page.svg\"", Duration.ofMinutes(5)));

    assertThat(got.statusCode()).isEqualTo(200);
    assertThat(got.headers().firstValue("Content-Disposition")).contains("attachment; filename=\"page.svg\"");
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
    PresignedRequest upload = storage().presignUpload(key("x.png"), "image/png", 10, Duration.ofMinutes(10));
    assertThat(Duration.between(java.time.Instant.now(), upload.expiresAt()))
        .isBetween(Duration.ofMinutes(9), Duration.ofMinutes(11));
  }

  @Test
  void healthWhenStoreUsableThenUp() {
    assertThat(storage().health().status()).isEqualTo(HealthStatus.UP);
  }

  /** PUTs like a plain client: the signed headers as given, except those the HTTP library sets itself. */
  protected static HttpResponse<String> put(PresignedRequest upload, byte[] body) throws IOException,
      InterruptedException {
    return put(upload, body, Map.of());
  }

  protected static HttpResponse<String> put(PresignedRequest upload, byte[] body, Map<String, String> override)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(upload.url()).timeout(Duration.ofSeconds(20))
        .PUT(HttpRequest.BodyPublishers.ofByteArray(body));
    Map<String, String> headers = new java.util.LinkedHashMap<>(upload.headers());
    headers.putAll(override);
    headers.forEach((name, value) -> {
      if (!name.equalsIgnoreCase("Content-Length") && !name.equalsIgnoreCase("Host")) {
        request.header(name, value);
      }
    });
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  protected static HttpResponse<byte[]> get(PresignedRequest download) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(download.url()).timeout(Duration.ofSeconds(20)).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }
}
