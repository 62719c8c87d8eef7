package dev.switchboard.analytics;

import dev.switchboard.platform.http.RequestBytes;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * Segment's HTTP Tracking API: {@code POST /v1/track|page|screen|identify|group|alias|batch}, the
 * one-letter paths analytics.js uses ({@code /v1/t}, {@code /p}, {@code /s}, {@code /i}, {@code
 * /g}, {@code /a}, {@code /b}) and {@code /v1/import} (analytics-java posts to {@code /v1/import/},
 * with the slash). Any content type is read as JSON (browsers send {@code text/plain} to skip a
 * preflight); a {@code Content-Encoding: gzip} body is decoded first.
 */
@RestController
class IngestRoutes {

  /**
   * The answer to nearly every call, serialised once: writing a map through the JSON converter per
   * request cost more than it says.
   */
  private static final byte[] SUCCESS = "{\"success\":true}".getBytes(StandardCharsets.UTF_8);

  private final AnalyticsIngest ingest;
  private final JsonMapper json;

  IngestRoutes(AnalyticsIngest ingest, JsonMapper json) {
    this.ingest = ingest;
    this.json = json;
  }

  /*
   * Every call has literal paths (with and without the trailing slash): Spring MVC finds a literal
   * path with one map lookup, while a pattern such as /v1/{call} is matched against every mapping
   * of the application on each request (a tenth of a single track call's CPU), and its path
   * variable went through data binding. /v1/{call} remains for the 404 of unknown calls.
   */

  @PostMapping({"/v1/track", "/v1/track/", "/v1/t", "/v1/t/"})
  void track(HttpServletRequest request, HttpServletResponse response) throws IOException {
    ingest("track", request, response);
  }

  @PostMapping({"/v1/page", "/v1/page/", "/v1/p", "/v1/p/"})
  void page(HttpServletRequest request, HttpServletResponse response) throws IOException {
    ingest("page", request, response);
  }

  @PostMapping({"/v1/screen", "/v1/screen/", "/v1/s", "/v1/s/"})
  void screen(HttpServletRequest request, HttpServletResponse response) throws IOException {
    ingest("screen", request, response);
  }

  @PostMapping({"/v1/identify", "/v1/identify/", "/v1/i", "/v1/i/"})
  void identify(HttpServletRequest request, HttpServletResponse response) throws IOException {
    ingest("identify", request, response);
  }

  @PostMapping({"/v1/group", "/v1/group/", "/v1/g", "/v1/g/"})
  void group(HttpServletRequest request, HttpServletResponse response) throws IOException {
    ingest("group", request, response);
  }

  @PostMapping({"/v1/alias", "/v1/alias/", "/v1/a", "/v1/a/"})
  void alias(HttpServletRequest request, HttpServletResponse response) throws IOException {
    ingest("alias", request, response);
  }

  @PostMapping({"/v1/batch", "/v1/batch/", "/v1/b", "/v1/b/", "/v1/import", "/v1/import/"})
  void batch(HttpServletRequest request, HttpServletResponse response) throws IOException {
    ingest("batch", request, response);
  }

  @PostMapping({"/v1/{call}", "/v1/{call}/"})
  void unknown() {
    throw new AnalyticsException(
        404,
        "not_found",
        "No such call; use /v1/track, page, screen, identify, group," + " alias or batch.");
  }

  /**
   * Reads, validates and stores the call, then writes the answer itself: {@code {"success":true}}
   * as bytes serialised once, or with the rejected messages of a batch.
   */
  private void ingest(String type, HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    byte[] body = read(request, AnalyticsIngest.maxBytes(type));
    IngestResult result =
        ingest.ingest(
            new IngestRequest(
                type,
                body,
                basicKey(request),
                request.getRemoteAddr(),
                request.getHeader("User-Agent")));
    byte[] answer = result.rejected().isEmpty() ? SUCCESS : json.writeValueAsBytes(answer(result));
    response.setStatus(200);
    response.setContentType(MediaType.APPLICATION_JSON_VALUE);
    response.setContentLength(answer.length);
    response.getOutputStream().write(answer);
  }

  private static Map<String, Object> answer(IngestResult result) {
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
    return answer;
  }

  /**
   * Reads at most {@code max + 1} decoded bytes: one more than allowed is enough to refuse the
   * body. A plain body whose declared length is within {@code max} is read by {@link RequestBytes},
   * as every other JSON route reads its body.
   */
  private static byte[] read(HttpServletRequest request, int max) throws IOException {
    String encoding = request.getHeader("Content-Encoding");
    if (encoding == null || encoding.isBlank() || encoding.equalsIgnoreCase("identity")) {
      long length = request.getContentLengthLong();
      return length >= 0 && length <= max
          ? RequestBytes.read(request)
          : request.getInputStream().readNBytes(max + 1);
    }
    if (!encoding.trim().toLowerCase(Locale.ROOT).equals("gzip")) {
      throw new AnalyticsException(
          415, "unsupported_encoding", "Send the body plain or with Content-Encoding: gzip.");
    }
    try {
      return new GZIPInputStream(request.getInputStream()).readNBytes(max + 1);
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
