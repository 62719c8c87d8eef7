package dev.switchboard.admin;

import dev.switchboard.platform.http.ApiException;
import dev.switchboard.platform.http.ErrorResponses;
import dev.switchboard.platform.http.FilterOrder;
import dev.switchboard.platform.http.RefusingFilter;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.Locale;
import org.springframework.core.annotation.Order;

/**
 * Refuses dashboard form posts sent from another site (403 {@code cross_site_request}).
 * SameSite=Strict keeps the session cookie off such requests, but not a sign-in form post, which
 * would set a cookie: another site could sign the browser into a session of its choosing. Browsers
 * say where a post comes from in {@code Sec-Fetch-Site} and {@code Origin}; a post whose origin is
 * not the host it was sent to is refused.
 */
@Order(FilterOrder.AUTHENTICATION + 5)
class SameOriginPosts extends RefusingFilter {

  SameOriginPosts(ErrorResponses errors) {
    super(errors);
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !"POST".equals(request.getMethod()) || !request.getRequestURI().startsWith("/admin/");
  }

  @Override
  protected ApiException refusal(HttpServletRequest request) {
    return crossSite(request)
        ? new ApiException(
            403,
            "cross_site_request",
            "Dashboard forms only accept posts from the dashboard itself.")
        : null;
  }

  static boolean crossSite(HttpServletRequest request) {
    String fetchSite = request.getHeader("Sec-Fetch-Site");
    if (fetchSite != null && fetchSite.toLowerCase(Locale.ROOT).equals("cross-site")) {
      return true;
    }
    String origin = request.getHeader("Origin");
    String host = request.getHeader("Host");
    if (origin == null || host == null) {
      return false;
    }
    try {
      URI uri = new URI(origin);
      String authority = uri.getPort() == -1 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
      return !host.equalsIgnoreCase(authority) && !host.equalsIgnoreCase(uri.getHost());
    } catch (Exception e) {
      // "null" (sandboxed or privacy-sensitive contexts) or garbage: not provably same-origin.
      return true;
    }
  }
}
