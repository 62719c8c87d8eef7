package dev.switchboard.platform.http;

import dev.switchboard.platform.crypto.Digests;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * {@code Idempotency-Key} on POST: the first request with a key runs and its response is kept for
 * {@link IdempotencyStore#RETENTION}; a retry with the same key and the same method, path and body
 * gets that response again ({@code Idempotent-Replayed: true}) without running the handler. Reusing
 * a key for a different request is 422, a retry while the first is still running is 409. Answers a
 * client should retry (5xx, 401, 403, 409, 429) are not kept: the key is released. However long the
 * handler runs, {@link IdempotencyHeartbeat} keeps its claim alive while this instance lives and
 * reaches the database once per lease, so a retry gets 409.
 */
@Order(FilterOrder.IDEMPOTENCY)
public class IdempotencyFilter extends RequestFilter {

  public static final String HEADER = "Idempotency-Key";
  public static final String REPLAYED_HEADER = "Idempotent-Replayed";
  private static final Pattern VALID_KEY = Pattern.compile("^[\\x20-\\x7E]{1,255}$");
  private static final Set<Integer> RETRYABLE = Set.of(401, 403, 409, 429);
  private static final Logger log = LoggerFactory.getLogger(IdempotencyFilter.class);

  private final IdempotencyStore store;
  private final ErrorResponses errors;
  private final Clock clock;
  private final IdempotencyHeartbeat heartbeat;

  public IdempotencyFilter(
      IdempotencyStore store, ErrorResponses errors, Clock clock, IdempotencyHeartbeat heartbeat) {
    this.store = store;
    this.errors = errors;
    this.clock = clock;
    this.heartbeat = heartbeat;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !"POST".equals(request.getMethod()) || request.getHeader(HEADER) == null;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    List<String> keys = Collections.list(request.getHeaders(HEADER));
    if (keys.size() != 1 || !VALID_KEY.matcher(keys.get(0)).matches() || keys.get(0).isBlank()) {
      errors.write(
          request,
          response,
          new ApiException(
              400,
              "invalid_idempotency_key",
              "Send one Idempotency-Key header of 1 to 255 printable ASCII characters, such as a UUID.",
              false,
              HEADER,
              Map.of()));
      return;
    }
    String key = keys.get(0);
    byte[] body;
    try {
      body = RequestBytes.read(request);
    } catch (ApiException e) {
      errors.write(request, response, e);
      return;
    }
    String caller = Caller.orAnonymous(request).id();
    IdempotencyClaim claim = store.claim(caller, key, hash(request, body), clock.instant());
    if (claim instanceof IdempotencyClaim.Started started) {
      run(new CachedBodyRequest(request, body), response, chain, caller, key, started.token());
    } else if (claim instanceof IdempotencyClaim.Replay replay) {
      replay(response, replay.response());
    } else if (claim instanceof IdempotencyClaim.InFlight) {
      errors.write(
          request,
          response,
          new ApiException(
              409,
              "idempotency_request_in_flight",
              "A request with this Idempotency-Key is still running; retry shortly.",
              true,
              null,
              Map.of("Retry-After", "1")));
    } else {
      errors.write(
          request,
          response,
          new ApiException(
              422,
              "idempotency_key_reused",
              "This Idempotency-Key was used for a different request; use a new key."));
    }
  }

  private void run(
      HttpServletRequest request,
      HttpServletResponse response,
      FilterChain chain,
      String caller,
      String key,
      String token)
      throws ServletException, IOException {
    ContentCachingResponseWrapper captured = new ContentCachingResponseWrapper(response);
    boolean kept = false;
    heartbeat.hold(token);
    try {
      chain.doFilter(request, captured);
      int status = captured.getStatus();
      byte[] content = captured.getContentAsByteArray();
      // An error sent with sendError has its body rendered later by the container; keeping it empty
      // would be wrong.
      // A response marked no-store (one that shows a secret once, like a new API key) is never
      // written down.
      boolean noStore = String.valueOf(captured.getHeader("Cache-Control")).contains("no-store");
      if (keepable(status) && !noStore && !(status >= 400 && content.length == 0)) {
        kept =
            complete(
                caller, key, token, new StoredResponse(status, captured.getContentType(), content));
      }
    } finally {
      heartbeat.drop(token);
      if (!kept) {
        store.release(caller, key, token);
      }
      captured.copyBodyToResponse();
    }
  }

  private boolean complete(String caller, String key, String token, StoredResponse response) {
    try {
      if (!store.complete(caller, key, token, response, clock.instant())) {
        log.warn(
            "Idempotency key of {} was taken over before its request finished; response not kept",
            caller);
      }
      return true;
    } catch (RuntimeException e) {
      // The work is done; still answer. The key stays in flight, no longer renewed, and frees
      // itself after a minute.
      log.error("Could not keep the response for an idempotency key of {}", caller, e);
      return true;
    }
  }

  static boolean keepable(int status) {
    return status < 500 && !RETRYABLE.contains(status);
  }

  private static void replay(HttpServletResponse response, StoredResponse stored)
      throws IOException {
    response.setStatus(stored.status());
    if (stored.contentType() != null) {
      response.setContentType(stored.contentType());
    }
    response.setHeader(REPLAYED_HEADER, "true");
    byte[] body = stored.body();
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  /** Method, path with query, and body: what makes a retry the same request. */
  static String hash(HttpServletRequest request, byte[] body) {
    String target =
        request.getMethod()
            + " "
            + request.getRequestURI()
            + (request.getQueryString() == null ? "" : "?" + request.getQueryString())
            + "\n";
    return Digests.hex(Digests.sha256(target.getBytes(StandardCharsets.UTF_8), body));
  }
}
