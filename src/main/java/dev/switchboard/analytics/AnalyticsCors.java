package dev.switchboard.analytics;

import dev.switchboard.platform.http.ApiException;
import dev.switchboard.platform.http.ErrorResponses;
import dev.switchboard.platform.http.RequestFilter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * CORS for {@code /v1/*}: a browser on an allowed origin ({@code SWITCHBOARD_REDIRECT_ALLOWLIST}
 * and the public URL; in development any origin) may send events; a request carrying any other
 * {@code Origin} is refused with 403 {@code origin_not_allowed} before it is read, preflight or
 * not. Requests without {@code Origin} (server-side libraries) are not affected. A {@link
 * RequestFilter}: its "already filtered" attribute name is built once, not per request.
 */
final class AnalyticsCors extends RequestFilter {

  private final Set<String> origins;
  private final boolean anyOrigin;
  private final ErrorResponses errors;

  AnalyticsCors(List<URI> allowed, boolean anyOrigin, ErrorResponses errors) {
    this.origins =
        allowed.stream().map(AnalyticsCors::origin).collect(Collectors.toUnmodifiableSet());
    this.anyOrigin = anyOrigin;
    this.errors = errors;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !request.getRequestURI().startsWith("/v1/");
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String origin = request.getHeader("Origin");
    if (origin == null) {
      chain.doFilter(request, response);
      return;
    }
    if (!anyOrigin && !origins.contains(origin.toLowerCase(Locale.ROOT))) {
      errors.write(
          request,
          response,
          new ApiException(
              403,
              "origin_not_allowed",
              "This origin may not send analytics events; add it to SWITCHBOARD_REDIRECT_ALLOWLIST."));
      return;
    }
    response.setHeader("Access-Control-Allow-Origin", origin);
    response.setHeader("Vary", "Origin");
    if ("OPTIONS".equals(request.getMethod())) {
      response.setHeader("Access-Control-Allow-Methods", "POST, OPTIONS");
      response.setHeader(
          "Access-Control-Allow-Headers", "Content-Type, Authorization, Content-Encoding");
      response.setHeader("Access-Control-Max-Age", "600");
      response.setStatus(204);
      return;
    }
    chain.doFilter(request, response);
  }

  private static String origin(URI uri) {
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    int port = uri.getPort();
    return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (port < 0 ? "" : ":" + port);
  }
}
