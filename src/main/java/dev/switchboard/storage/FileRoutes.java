package dev.switchboard.storage;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.switchboard.platform.apikeys.Scopes;
import dev.switchboard.platform.http.ApiException;
import dev.switchboard.platform.http.CallerGuard;
import dev.switchboard.platform.http.JsonAnswer;
import dev.switchboard.platform.http.JsonBody;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /api/files}: presign, complete, read, list and delete. Callers are signed-in users, or API
 * keys with {@code files:write}; the file's owner is the caller's id.
 */
@RestController
public class FileRoutes {

  private final FileService files;
  private final JsonBody<PresignRequest> presignBody;
  private final ObjectWriter presignWriter;

  public FileRoutes(FileService files, JsonMapper json) {
    this.files = files;
    this.presignBody = JsonBody.of(json, PresignRequest.class);
    this.presignWriter = json.writerFor(PresignResponse.class);
  }

  record PresignRequest(String filename, String contentType, Long size) {}

  record PresignResponse(
      String fileId,
      String uploadUrl,
      String method,
      Map<String, String> headers,
      String expiresAt) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record FileResponse(
      String id,
      String filename,
      String contentType,
      long size,
      String status,
      String detectedType,
      String rejectReason,
      String createdAt,
      String completedAt,
      String downloadUrl,
      String downloadExpiresAt) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record ListResponse(List<FileResponse> files, String next) {}

  /**
   * Read and answered by a reader and a writer built once (the same outcomes and bytes as a bound
   * body and a returned record, without the converter lookup per request: this path carries
   * traffic).
   */
  @PostMapping("/api/files/presign")
  void presign(HttpServletRequest request, HttpServletResponse response)
      throws IOException, HttpMediaTypeNotSupportedException, HttpMediaTypeNotAcceptableException {
    PresignRequest body = presignBody.read(request);
    String owner = owner(request);
    if (body == null) {
      throw ApiException.invalidField("filename", "send {filename, contentType, size} as JSON");
    }
    FileService.Upload upload =
        files.presign(owner, body.filename(), body.contentType(), body.size());
    JsonAnswer.write(
        request,
        response,
        presignWriter,
        new PresignResponse(
            upload.file().id(),
            upload.request().url().toString(),
            upload.request().method(),
            upload.request().headers(),
            upload.request().expiresAt().toString()));
  }

  @PostMapping("/api/files/{id}/complete")
  FileResponse complete(HttpServletRequest request, @PathVariable String id) {
    return response(files.get(owner(request), files.complete(owner(request), id).id()));
  }

  @GetMapping("/api/files/{id}")
  FileResponse get(HttpServletRequest request, @PathVariable String id) {
    return response(files.get(owner(request), id));
  }

  @GetMapping("/api/files")
  ListResponse list(
      HttpServletRequest request,
      @RequestParam(required = false) String cursor,
      @RequestParam(required = false, defaultValue = "50") String limit) {
    FileService.Page page =
        files.list(Optional.of(owner(request)), Optional.ofNullable(cursor), parseLimit(limit));
    return new ListResponse(
        page.files().stream()
            .map(f -> response(new FileService.FileView(f, Optional.empty())))
            .toList(),
        page.next().orElse(null));
  }

  @DeleteMapping("/api/files/{id}")
  ResponseEntity<Void> delete(HttpServletRequest request, @PathVariable String id) {
    files.delete(owner(request), id);
    return ResponseEntity.noContent().build();
  }

  static FileResponse response(FileService.FileView view) {
    StoredFile f = view.file();
    return new FileResponse(
        f.id(),
        f.filename(),
        f.contentType(),
        f.size(),
        f.status().id(),
        f.detectedType().orElse(null),
        f.rejectReason().orElse(null),
        f.createdAt().toString(),
        f.completedAt().map(Object::toString).orElse(null),
        view.download().map(d -> d.url().toString()).orElse(null),
        view.download().map(d -> d.expiresAt().toString()).orElse(null));
  }

  /**
   * The owner of the caller's files: a signed-in user, or an API key holding {@code files:write}.
   *
   * @throws ApiException 401 {@code unauthenticated}, 403 {@code insufficient_scope}
   */
  static String owner(HttpServletRequest request) {
    return CallerGuard.userOrKey(request, Scopes.FILES_WRITE).id();
  }

  private static int parseLimit(String limit) {
    try {
      return Integer.parseInt(limit);
    } catch (NumberFormatException e) {
      throw ApiException.invalidField(
          "limit", "limit must be a number from 1 to " + FileService.MAX_PAGE);
    }
  }
}
