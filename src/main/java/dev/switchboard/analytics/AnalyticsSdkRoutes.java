package dev.switchboard.analytics;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /sdk/analytics.js}: the browser analytics library (page, track, identify, reset). */
@RestController
public class AnalyticsSdkRoutes {

  private final byte[] script;

  public AnalyticsSdkRoutes() {
    try (InputStream in = new ClassPathResource("sdk/analytics.js").getInputStream()) {
      this.script = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("sdk/analytics.js is missing from the jar", e);
    }
  }

  @GetMapping("/sdk/analytics.js")
  ResponseEntity<byte[]> script() {
    return ResponseEntity.ok()
        .contentType(new MediaType("text", "javascript", java.nio.charset.StandardCharsets.UTF_8))
        .cacheControl(CacheControl.maxAge(java.time.Duration.ofHours(1)).cachePublic())
        .header("Access-Control-Allow-Origin", "*")
        .header("X-Content-Type-Options", "nosniff")
        .body(script);
  }
}
