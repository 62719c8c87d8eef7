package dev.switchboard.storage.local;

import dev.switchboard.platform.http.ApiException;
import dev.switchboard.storage.ObjectStorage;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.io.InputStreamResource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The "bucket" of the local provider: {@code PUT} and {@code GET} on presigned URLs made by {@link
 * LocalObjectStorage}. The signature is the only credential, as with S3. Downloads carry {@code
 * nosniff} and a sandboxing CSP, so even a file served inline cannot run script on Switchboard's
 * origin. Answers 404 when another provider is configured.
 */
@RestController
public class LocalStorageRoutes {

  private final ObjectProvider<ObjectStorage> storage;

  public LocalStorageRoutes(ObjectProvider<ObjectStorage> storage) {
    this.storage = storage;
  }

  @PutMapping(LocalObjectStorage.PATH + "**")
  ResponseEntity<Void> upload(
      HttpServletRequest request,
      @RequestParam(required = false) String expires,
      @RequestParam(required = false) String signature,
      @RequestHeader(value = HttpHeaders.CONTENT_TYPE, required = false) String contentType)
      throws IOException {
    LocalObjectStorage local = local();
    try (InputStream body = request.getInputStream()) {
      local.acceptUpload(
          key(request), expires, signature, contentType, request.getContentLengthLong(), body);
    }
    return ResponseEntity.ok().build();
  }

  @GetMapping(LocalObjectStorage.PATH + "**")
  ResponseEntity<InputStreamResource> download(
      HttpServletRequest request,
      @RequestParam(required = false) String expires,
      @RequestParam(required = false) String type,
      @RequestParam(required = false) String disposition,
      @RequestParam(required = false) String signature) {
    LocalObjectStorage.Download d =
        local().openDownload(key(request), expires, type, disposition, signature);
    return ResponseEntity.ok()
        .contentType(MediaType.parseMediaType(d.contentType()))
        .contentLength(d.length())
        .header(HttpHeaders.CONTENT_DISPOSITION, d.disposition())
        .header("X-Content-Type-Options", "nosniff")
        .header(
            "Content-Security-Policy",
            "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox")
        .header(HttpHeaders.CACHE_CONTROL, "private, max-age=300")
        .body(new InputStreamResource(d.body()));
  }

  private LocalObjectStorage local() {
    if (storage.getIfAvailable() instanceof LocalObjectStorage local) {
      return local;
    }
    throw ApiException.notFound("object");
  }

  private static String key(HttpServletRequest request) {
    String uri = request.getRequestURI();
    int at = uri.indexOf(LocalObjectStorage.PATH);
    return at < 0 ? "" : uri.substring(at + LocalObjectStorage.PATH.length());
  }
}
