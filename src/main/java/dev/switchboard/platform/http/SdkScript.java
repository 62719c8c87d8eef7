package dev.switchboard.platform.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * A browser script shipped in the jar under {@code sdk/}, read once and served the same way by
 * every area's {@code /sdk/*.js} route: cached publicly for an hour, loadable from any origin (it
 * holds no secret), never sniffed as another type.
 */
public final class SdkScript {

  private static final MediaType JAVASCRIPT =
      new MediaType("text", "javascript", StandardCharsets.UTF_8);

  private final byte[] bytes;

  private SdkScript(byte[] bytes) {
    this.bytes = bytes;
  }

  /**
   * @param path the class-path resource, e.g. {@code sdk/files.js}
   * @throws UncheckedIOException when the jar does not hold it
   */
  public static SdkScript load(String path) {
    try (InputStream in = new ClassPathResource(path).getInputStream()) {
      return new SdkScript(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(path + " is missing from the jar", e);
    }
  }

  /** The answer to {@code GET /sdk/…}. */
  public ResponseEntity<byte[]> response() {
    return ResponseEntity.ok()
        .contentType(JAVASCRIPT)
        .cacheControl(CacheControl.maxAge(Duration.ofHours(1)).cachePublic())
        .header("Access-Control-Allow-Origin", "*")
        .header("X-Content-Type-Options", "nosniff")
        .body(bytes);
  }
}
