package dev.switchboard.platform.http;

import dev.switchboard.platform.config.SecretScrubber;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Renders the error shape, for controllers (as a {@link ResponseEntity}) and for filters that
 * answer before any controller runs (written straight to the response). 5xx answers carry a generic
 * message; the cause is logged with the request id and handed to {@link UnhandledErrorListener}s
 * (error monitoring).
 */
@Component
public class ErrorResponses {

  private static final Logger log = LoggerFactory.getLogger(ErrorResponses.class);

  private final JsonMapper json;
  private final List<UnhandledErrorListener> listeners;
  private final SecretScrubber scrubber;

  public ErrorResponses(
      JsonMapper json, List<UnhandledErrorListener> listeners, SecretScrubber scrubber) {
    this.json = json;
    this.listeners = listeners;
    this.scrubber = scrubber;
  }

  public ResponseEntity<ErrorBody> entity(HttpServletRequest request, ApiException e) {
    ErrorBody body = body(request, e.status(), e.code(), e.getMessage(), e.field().orElse(null));
    HttpHeaders headers = new HttpHeaders();
    e.headers().forEach(headers::set);
    return ResponseEntity.status(e.status())
        .headers(headers)
        .contentType(MediaType.APPLICATION_JSON)
        .body(body);
  }

  public ResponseEntity<ErrorBody> unexpected(HttpServletRequest request, Throwable cause) {
    report(request, cause);
    return ResponseEntity.status(500)
        .contentType(MediaType.APPLICATION_JSON)
        .body(body(request, 500, "internal_error", ErrorBody.GENERIC_5XX, null));
  }

  /** Writes an error from a servlet filter, where no controller advice applies. */
  public void write(HttpServletRequest request, HttpServletResponse response, ApiException e)
      throws IOException {
    if (response.isCommitted()) {
      return;
    }
    response.resetBuffer();
    response.setStatus(e.status());
    for (Map.Entry<String, String> header : e.headers().entrySet()) {
      response.setHeader(header.getKey(), header.getValue());
    }
    response.setContentType(MediaType.APPLICATION_JSON_VALUE);
    response.setCharacterEncoding("UTF-8");
    response
        .getWriter()
        .write(
            json.writeValueAsString(
                body(request, e.status(), e.code(), e.getMessage(), e.field().orElse(null))));
  }

  ErrorBody body(
      HttpServletRequest request, int status, String code, String message, String field) {
    String safeMessage = status >= 500 ? ErrorBody.GENERIC_5XX : message;
    return new ErrorBody(status, code, safeMessage, RequestIds.of(request), field);
  }

  void report(HttpServletRequest request, Throwable cause) {
    // The stack trace is logged as scrubbed text: exception messages often quote the key a library
    // was given.
    StringWriter trace = new StringWriter();
    cause.printStackTrace(new PrintWriter(trace));
    log.error(
        "Unhandled error on {} {} (requestId={})\n{}",
        request.getMethod(),
        request.getRequestURI(),
        RequestIds.of(request),
        scrubber.scrub(trace.toString()).stripTrailing());
    for (UnhandledErrorListener listener : listeners) {
      try {
        listener.onUnhandledError(request, cause);
      } catch (RuntimeException e) {
        log.warn("Error listener {} failed: {}", listener.getClass().getSimpleName(), e.toString());
      }
    }
  }
}
