package dev.switchboard.admin;

import dev.switchboard.analytics.AnalyticsDashboard;
import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.platform.http.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * The analytics page: a chart per event, the funnel of the four product events, the live stream
 * (polled every few seconds through {@code /admin/analytics/live}), the write key with a snippet,
 * and forwarding's backlog.
 */
@Controller
class AdminAnalyticsRoutes {

  private final AdminPages pages;
  private final AdminSession session;
  private final AnalyticsDashboard dashboard;
  private final SwitchboardConfig config;

  AdminAnalyticsRoutes(
      AdminPages pages,
      AdminSession session,
      AnalyticsDashboard dashboard,
      SwitchboardConfig config) {
    this.pages = pages;
    this.session = session;
    this.dashboard = dashboard;
    this.config = config;
  }

  @GetMapping("/admin/analytics")
  Object page(HttpServletRequest request) {
    return pages.render(
        request,
        "admin/analytics",
        "Analytics",
        "navAnalytics",
        () -> dashboard.model(config.core().publicUrl().toString()));
  }

  @GetMapping("/admin/analytics/live")
  @ResponseBody
  Map<String, List<Map<String, Object>>> live(
      HttpServletRequest request, @RequestParam(name = "after", defaultValue = "0") long after) {
    if (session.current(request).isEmpty()) {
      throw new ApiException(401, "unauthenticated", "Sign in to the dashboard first.");
    }
    return Map.of("events", dashboard.liveAfter(after));
  }
}
