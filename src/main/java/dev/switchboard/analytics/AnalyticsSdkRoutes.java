package dev.switchboard.analytics;

import dev.switchboard.platform.http.SdkScript;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /sdk/analytics.js}: the browser analytics library (page, track, identify, reset). */
@RestController
public class AnalyticsSdkRoutes {

  private final SdkScript script = SdkScript.load("sdk/analytics.js");

  @GetMapping("/sdk/analytics.js")
  ResponseEntity<byte[]> script() {
    return script.response();
  }
}
