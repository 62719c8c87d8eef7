package dev.switchboard.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /sdk/files.js}: the browser helper for presign, PUT with progress, complete. */
@RestController
public class FilesSdkRoutes {

  private final byte[] script;

  public FilesSdkRoutes() {
    try (InputStream in = new ClassPathResource("sdk/files.js").getInputStream()) {
      this.script = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("sdk/files.js is missing from the jar", e);
    }
  }

  @GetMapping("/sdk/files.js")
  ResponseEntity<byte[]> script() {
    return ResponseEntity.ok()
        .contentType(new MediaType("text", "javascript", java.nio.charset.StandardCharsets.UTF_8))
        .cacheControl(CacheControl.maxAge(java.time.Duration.ofHours(1)).cachePublic())
        .header("Access-Control-Allow-Origin", "*")
        .header("X-Content-Type-Options", "nosniff")
        .body(script);
  }
}
