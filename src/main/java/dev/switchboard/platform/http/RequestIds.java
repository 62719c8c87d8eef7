package dev.switchboard.platform.http;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.slf4j.MDC;
import org.springframework.core.annotation.Order;

/**
 * Gives every request an id, returned as {@code X-Request-Id}, put in the log context ({@code
 * requestId}) and in every error body, so a user's report leads to the log line. A well-formed
 * incoming id from a proxy is kept.
 */
@Order(FilterOrder.REQUEST_ID)
public class RequestIds extends RequestFilter {

  public static final String HEADER = "X-Request-Id";
  static final String ATTRIBUTE = RequestIds.class.getName();
  private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9._-]{8,64}");

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String id = request.getHeader(HEADER);
    if (id == null || !WELL_FORMED.matcher(id).matches()) {
      id = newId();
    }
    request.setAttribute(ATTRIBUTE, id);
    response.setHeader(HEADER, id);
    MDC.put("requestId", id);
    try {
      chain.doFilter(request, response);
    } finally {
      MDC.remove("requestId");
    }
  }

  @Override
  protected boolean shouldNotFilterErrorDispatch() {
    return false;
  }

  /** A fresh id, also for requests the container refuses before any filter runs. */
  static String newId() {
    // A correlation id, not a secret: 96 bits from the thread's own generator, so requests do not
    // queue on the
    // JVM-wide SecureRandom lock.
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return "req_"
        + HexFormat.of().toHexDigits(random.nextLong())
        + HexFormat.of().toHexDigits(random.nextInt());
  }

  /** The id of the request being served, or {@code "unknown"} outside a request. */
  public static String of(HttpServletRequest request) {
    Object id = request.getAttribute(ATTRIBUTE);
    return id == null ? "unknown" : id.toString();
  }
}
