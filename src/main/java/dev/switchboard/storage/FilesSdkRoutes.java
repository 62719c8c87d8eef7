package dev.switchboard.storage;

import dev.switchboard.platform.http.SdkScript;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /sdk/files.js}: the browser helper for presign, PUT with progress, complete. */
@RestController
public class FilesSdkRoutes {

  private final SdkScript script = SdkScript.load("sdk/files.js");

  @GetMapping("/sdk/files.js")
  ResponseEntity<byte[]> script() {
    return script.response();
  }
}
