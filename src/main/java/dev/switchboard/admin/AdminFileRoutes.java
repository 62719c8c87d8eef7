package dev.switchboard.admin;

import dev.switchboard.platform.http.ApiException;
import dev.switchboard.storage.FileService;
import dev.switchboard.storage.StoredFile;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * Dashboard page of the storage area: every caller's files, newest first, with previews of images,
 * and an upload form that uses {@code /sdk/files.js} against {@code /admin/files/presign} and
 * {@code /admin/files/{id}/complete}. Dashboard uploads belong to the owner {@value #OWNER}: an
 * admin session stands for the operator, not an account, and this keeps them apart from every app
 * user's files.
 */
@Controller
class AdminFileRoutes {

  static final String OWNER = "dashboard";
  static final int SHOWN = 100;
  private static final Set<String> PREVIEWED =
      Set.of("image/png", "image/jpeg", "image/gif", "image/webp");

  private final AdminPages pages;
  private final AdminSession session;
  private final FileService files;

  AdminFileRoutes(AdminPages pages, AdminSession session, FileService files) {
    this.pages = pages;
    this.session = session;
    this.files = files;
  }

  record PresignRequest(String filename, String contentType, Long size) {}

  @GetMapping("/admin/files")
  Object overview(HttpServletRequest request) {
    return pages.render(
        request,
        "admin/files",
        "Files",
        "navFiles",
        () -> {
          List<Map<String, Object>> rows =
              files.list(Optional.empty(), Optional.empty(), SHOWN).files().stream()
                  .map(this::row)
                  .toList();
          return Map.of(
              "files",
              rows,
              "pending",
              files.pendingCount(),
              "policy",
              files.policy().limits().entrySet().stream()
                  .map(e -> e.getKey() + " up to " + e.getValue() / 1024 + " KB")
                  .toList());
        });
  }

  @PostMapping("/admin/files/presign")
  @ResponseBody
  Map<String, Object> presign(
      HttpServletRequest request, @RequestBody(required = false) PresignRequest body) {
    signedIn(request);
    if (body == null) {
      throw ApiException.invalidField("filename", "send {filename, contentType, size} as JSON");
    }
    FileService.Upload upload =
        files.presign(OWNER, body.filename(), body.contentType(), body.size());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("fileId", upload.file().id());
    out.put("uploadUrl", upload.request().url().toString());
    out.put("method", upload.request().method());
    out.put("headers", upload.request().headers());
    out.put("expiresAt", upload.request().expiresAt().toString());
    return out;
  }

  @PostMapping("/admin/files/{id}/complete")
  @ResponseBody
  Map<String, Object> complete(HttpServletRequest request, @PathVariable String id) {
    signedIn(request);
    files.complete(OWNER, id);
    return row(files.getAny(id).file());
  }

  @PostMapping("/admin/files/{id}/delete")
  ResponseEntity<Void> delete(HttpServletRequest request, @PathVariable String id) {
    signedIn(request);
    files.deleteAny(id);
    return ResponseEntity.status(303).header("Location", "/admin/files").build();
  }

  private Map<String, Object> row(StoredFile f) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("id", f.id());
    row.put("owner", f.owner());
    row.put("filename", f.filename());
    row.put("contentType", f.contentType());
    row.put("size", f.size());
    row.put("sizeText", ByteSizes.human(f.size()));
    row.put("status", f.status().id());
    row.put("reason", f.rejectReason().orElse(""));
    row.put("createdAt", f.createdAt().toString());
    boolean preview = f.status().id().equals("ready") && PREVIEWED.contains(f.contentType());
    row.put(
        "preview",
        preview ? files.getAny(f.id()).download().map(d -> d.url().toString()).orElse("") : "");
    return row;
  }

  private void signedIn(HttpServletRequest request) {
    if (session.current(request).isEmpty()) {
      throw new ApiException(401, "unauthenticated", "Sign in to the dashboard first.");
    }
  }
}
