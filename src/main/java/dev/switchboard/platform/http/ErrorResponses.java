package dev.switchboard.platform.http;

import dev.switchboard.platform.config.SecretScrubber;
import dev.switchboard.platform.db.DatabaseFailures;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.json.JsonMapper;

/**
 * Renders the error shape, for controllers (as a {@link ResponseEntity}) and for filters that
 * answer before any controller runs (written straight to the response). 5xx answers carry a generic
 * message; the cause is logged with the request id and handed to {@link UnhandledErrorListener}s
 * (error monitoring). A database that cannot be reached is not a bug to report: it is answered 503
 * {@code database_unavailable} with {@code Retry-After}, logged at most once every {@link
 * #DATABASE_WARN_EVERY}.
 */
public class ErrorResponses {

  private static final Logger log = LoggerFactory.getLogger(ErrorResponses.class);

  /** Seconds a client should wait before retrying a request the database could not serve. */
  static final int DATABASE_RETRY_AFTER_SECONDS = 2;

  static final java.time.Duration DATABASE_WARN_EVERY = java.time.Duration.ofSeconds(10);

  private final AtomicLong lastDatabaseWarning =
      new AtomicLong(System.nanoTime() - DATABASE_WARN_EVERY.toNanos());
  private final AtomicLong databaseRefusals = new AtomicLong();

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
    if (DatabaseFailures.unavailable(cause)) {
      return entity(request, databaseUnavailable(request, cause));
    }
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

  /**
   * The answer to a request that needed the database while it could not be reached. Not reported to
   * error monitoring (which writes to that same database, and the {@code database} box on the map
   * already says it is down).
   */
  private ApiException databaseUnavailable(HttpServletRequest request, Throwable cause) {
    long refusals = databaseRefusals.incrementAndGet();
    long now = System.nanoTime();
    long last = lastDatabaseWarning.get();
    if (now - last >= DATABASE_WARN_EVERY.toNanos()
        && lastDatabaseWarning.compareAndSet(last, now)) {
      databaseRefusals.set(0);
      // The class only: a driver's message may quote the URL or the values of the statement.
      log.warn(
          "Database unavailable: {} {} answered 503 database_unavailable (requestId={}, {});"
              + " {} request(s) so answered since the last warning",
          request.getMethod(),
          request.getRequestURI(),
          RequestIds.of(request),
          cause.getClass().getSimpleName(),
          refusals);
    }
    return new ApiException(
        503,
        "database_unavailable",
        "The database cannot be reached right now; retry shortly.",
        true,
        null,
        Map.of("Retry-After", Integer.toString(DATABASE_RETRY_AFTER_SECONDS)));
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
