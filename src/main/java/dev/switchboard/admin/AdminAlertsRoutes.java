package dev.switchboard.admin;

import dev.switchboard.monitoring.AlertChannel;
import dev.switchboard.monitoring.AlertService;
import dev.switchboard.monitoring.Incident;
import dev.switchboard.platform.http.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The alerts page: open and recent incidents with "acknowledge", active silences and a form to add
 * one, the channels with their last delivery, the rules with their thresholds, and a "send test
 * alert" button.
 */
@Controller
class AdminAlertsRoutes {

  static final int SHOWN = 100;

  private final AdminPages pages;
  private final AdminSession session;
  private final AlertService alerts;

  AdminAlertsRoutes(AdminPages pages, AdminSession session, AlertService alerts) {
    this.pages = pages;
    this.session = session;
    this.alerts = alerts;
  }

  @GetMapping("/admin/alerts")
  Object page(
      HttpServletRequest request, @RequestParam(name = "notice", required = false) String notice) {
    return pages.render(
        request,
        "admin/alerts",
        "Alerts",
        "navAlerts",
        () -> {
          Map<String, Object> model = new LinkedHashMap<>();
          // Mustache refuses null values: every field is given, empty when absent.
          model.put(
              "incidents", alerts.incidents(SHOWN).stream().map(AdminAlertsRoutes::row).toList());
          model.put(
              "silences",
              alerts.silences().stream()
                  .map(
                      x ->
                          Map.of(
                              "rule",
                              x.rule().orElse("any"),
                              "subject",
                              x.subject().orElse("any"),
                              "until",
                              x.until().toString(),
                              "reason",
                              x.reason(),
                              "createdBy",
                              x.createdBy().orElse("")))
                  .toList());
          model.put(
              "channels",
              alerts.catalog().channels().stream()
                  .map(
                      c ->
                          Map.of(
                              "id",
                              c.id(),
                              "state",
                              c.state(),
                              "target",
                              c.target(),
                              "lastDelivery",
                              c.lastDelivery().map(Object::toString).orElse(""),
                              "lastDetail",
                              c.lastDetail()))
                  .toList());
          model.put(
              "rules",
              alerts.catalog().rules().stream()
                  .map(
                      r ->
                          Map.of(
                              "id",
                              r.id(),
                              "severity",
                              r.severity(),
                              "condition",
                              r.condition(),
                              "channel",
                              r.channel(),
                              "deliveredTo",
                              r.deliveredTo().isEmpty()
                                  ? "dashboard only"
                                  : String.join(", ", r.deliveredTo())))
                  .toList());
          model.put("notice", notice == null ? "" : notice);
          model.put("hasNotice", notice != null && !notice.isBlank());
          return model;
        });
  }

  @PostMapping("/admin/alerts/{id}/ack")
  ResponseEntity<Void> acknowledge(HttpServletRequest request, @PathVariable String id) {
    String who = signedIn(request);
    alerts.acknowledge(id, who);
    return back("acknowledged " + id);
  }

  @PostMapping("/admin/alerts/silences")
  ResponseEntity<Void> silence(
      HttpServletRequest request,
      @RequestParam(name = "rule", required = false) String rule,
      @RequestParam(name = "subject", required = false) String subject,
      @RequestParam("hours") String hours,
      @RequestParam(name = "reason", required = false) String reason) {
    String who = signedIn(request);
    if (!hours.matches("^[1-9][0-9]{0,3}$")) {
      throw ApiException.invalidField("hours", "hours must be a whole number from 1 to 2160");
    }
    Instant until = Instant.now().plus(Duration.ofHours(Long.parseLong(hours)));
    alerts.silence(blank(rule), blank(subject), until, reason, who);
    return back("silenced for " + hours + "h");
  }

  @PostMapping("/admin/alerts/test")
  ResponseEntity<Void> test(HttpServletRequest request) {
    signedIn(request);
    return back(
        "test alert queued to "
            + String.join(", ", alerts.test().stream().map(AlertChannel::id).toList()));
  }

  private static Map<String, Object> row(Incident i) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("id", i.id());
    row.put("state", i.state());
    row.put("severity", i.severity());
    row.put("rule", i.rule());
    row.put("subject", i.subject());
    row.put("title", i.title());
    row.put("detail", i.detail());
    row.put("openedAt", i.openedAt().toString());
    row.put("resolvedAt", i.resolvedAt().map(Object::toString).orElse(""));
    row.put("remindersSent", i.remindersSent());
    row.put("ackable", i.open() && i.acknowledgedAt().isEmpty());
    return row;
  }

  private String signedIn(HttpServletRequest request) {
    return session
        .current(request)
        .map(s -> "dashboard")
        .orElseThrow(
            () -> new ApiException(401, "unauthenticated", "Sign in to the dashboard first."));
  }

  private static Optional<String> blank(String value) {
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  private static ResponseEntity<Void> back(String notice) {
    return ResponseEntity.status(HttpStatus.SEE_OTHER)
        .header(
            HttpHeaders.LOCATION,
            "/admin/alerts?notice=" + URLEncoder.encode(notice, StandardCharsets.UTF_8))
        .build();
  }
}
