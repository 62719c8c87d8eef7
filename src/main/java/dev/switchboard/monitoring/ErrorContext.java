package dev.switchboard.monitoring;

import dev.switchboard.platform.http.Caller;
import dev.switchboard.platform.http.RequestIds;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;

/**
 * Where an error happened, reduced to what may leave the process: never headers other than the user
 * agent, never cookies, query strings or bodies.
 *
 * @param method the HTTP method, or {@link #TASK} for background work
 * @param path the request path without query string, or the task name
 * @param requestId the request id ({@code X-Request-Id}), or a run id for tasks
 * @param callerId the authenticated caller's id; absent for anonymous callers, whose id is their IP
 *     address
 * @param userAgent the client's {@code User-Agent}
 */
public record ErrorContext(
    String method,
    String path,
    String requestId,
    Optional<String> callerId,
    Optional<String> userAgent) {

  public static final String TASK = "TASK";
  private static final int MAX_PATH = 300;
  private static final int MAX_USER_AGENT = 300;

  public ErrorContext {
    method = clean(method, 16);
    path = clean(path, MAX_PATH);
    requestId = clean(requestId, 100);
    callerId = callerId.map(id -> clean(id, 200));
    userAgent = userAgent.map(ua -> clean(ua, MAX_USER_AGENT));
  }

  /**
   * The context of the request being served. {@code getRequestURI()} never includes the query
   * string.
   */
  public static ErrorContext of(HttpServletRequest request) {
    Optional<String> caller =
        Caller.of(request).filter(c -> c.kind() != Caller.Kind.ANONYMOUS).map(Caller::id);
    return new ErrorContext(
        request.getMethod(),
        request.getRequestURI(),
        RequestIds.of(request),
        caller,
        Optional.ofNullable(request.getHeader("User-Agent")));
  }

  /** The context of background work, such as a queued job. */
  public static ErrorContext task(String name, String runId) {
    return new ErrorContext(TASK, name, runId, Optional.empty(), Optional.empty());
  }

  /** Whether this context describes an HTTP request (as opposed to a task). */
  public boolean isRequest() {
    return !TASK.equals(method);
  }

  private static String clean(String value, int max) {
    String cleaned = value == null ? "" : value.replaceAll("\\p{Cntrl}", "?");
    return cleaned.length() > max ? cleaned.substring(0, max) + "…" : cleaned;
  }
}
