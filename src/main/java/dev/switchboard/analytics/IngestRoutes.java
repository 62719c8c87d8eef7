package dev.switchboard.analytics;

import jakarta.servlet.http.HttpServletRequest;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Segment's HTTP Tracking API: {@code POST /v1/track|page|screen|identify|group|alias|batch}, the
 * one-letter paths analytics.js uses ({@code /v1/t}, {@code /p}, {@code /s}, {@code /i}, {@code
 * /g}, {@code /a}, {@code /b}) and {@code /v1/import} (analytics-java posts to {@code /v1/import/},
 * with the slash). Any content type is read as JSON (browsers send {@code text/plain} to skip a
 * preflight); a {@code Content-Encoding: gzip} body is decoded first.
 */
@RestController
class IngestRoutes {

  private static final Map<String, String> TYPES =
      Map.ofEntries(
          Map.entry("track", "track"),
          Map.entry("t", "track"),
          Map.entry("page", "page"),
          Map.entry("p", "page"),
          Map.entry("screen", "screen"),
          Map.entry("s", "screen"),
          Map.entry("identify", "identify"),
          Map.entry("i", "identify"),
          Map.entry("group", "group"),
          Map.entry("g", "group"),
          Map.entry("alias", "alias"),
          Map.entry("a", "alias"),
          Map.entry("batch", "batch"),
          Map.entry("b", "batch"),
          Map.entry("import", "batch"));

  /**
   * The answer to nearly every call, serialised once: writing a map through the JSON converter per
   * request cost more than it says.
   */
  private static final byte[] SUCCESS = "{\"success\":true}".getBytes(StandardCharsets.UTF_8);

  private final AnalyticsIngest ingest;

  IngestRoutes(AnalyticsIngest ingest) {
    this.ingest = ingest;
  }

  @PostMapping({"/v1/{call}", "/v1/{call}/"})
  ResponseEntity<?> ingest(@PathVariable String call, HttpServletRequest request)
      throws IOException {
    String type = TYPES.get(call);
    if (type == null) {
      throw new AnalyticsException(
          404,
          "not_found",
          "No such call; use /v1/track, page, screen, identify, group," + " alias or batch.");
    }
    byte[] body = read(request, AnalyticsIngest.maxBytes(type));
    IngestResult result =
        ingest.ingest(
            new IngestRequest(
                type,
                body,
                basicKey(request),
                request.getRemoteAddr(),
                request.getHeader("User-Agent")));
    if (result.rejected().isEmpty()) {
      return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(SUCCESS);
    }
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("success", true);
    List<Map<String, Object>> rejected =
        result.rejected().stream()
            .map(
                r -> {
                  Map<String, Object> item = new LinkedHashMap<>();
                  item.put("index", r.index());
                  item.put("code", r.code());
                  if (r.field() != null) {
                    item.put("field", r.field());
                  }
                  item.put("message", r.message());
                  return item;
                })
            .toList();
    answer.put("rejected", rejected);
    return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(answer);
  }

  /**
   * Reads at most {@code max + 1} decoded bytes: one more than allowed is enough to refuse the
   * body.
   */
  private static byte[] read(HttpServletRequest request, int max) throws IOException {
    String encoding = request.getHeader("Content-Encoding");
    InputStream in = request.getInputStream();
    if (encoding != null && !encoding.isBlank() && !encoding.equalsIgnoreCase("identity")) {
      if (!encoding.trim().toLowerCase(Locale.ROOT).equals("gzip")) {
        throw new AnalyticsException(
            415, "unsupported_encoding", "Send the body plain or with Content-Encoding: gzip.");
      }
      try {
        in = new GZIPInputStream(in);
      } catch (ZipException | EOFException e) {
        throw new AnalyticsException(400, "invalid_gzip", "The body is not valid gzip.");
      }
    }
    try {
      return in.readNBytes(max + 1);
    } catch (ZipException | EOFException e) {
      throw new AnalyticsException(400, "invalid_gzip", "The body is not valid gzip.");
    }
  }

  /**
   * The username of {@code Authorization: Basic base64(writeKey:)}, or null without such a header.
   */
  static String basicKey(HttpServletRequest request) {
    String header = request.getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return null;
    }
    try {
      String decoded =
          new String(
              Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      return colon < 0 ? decoded : decoded.substring(0, colon);
    } catch (IllegalArgumentException e) {
      return "";
    }
  }
}
