package dev.switchboard.admin;

import dev.switchboard.monitoring.ErrorContext;
import dev.switchboard.monitoring.ErrorReporter;
import dev.switchboard.monitoring.ErrorStore;
import dev.switchboard.monitoring.IntegrationMap;
import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.platform.http.RequestIds;
import dev.switchboard.platform.readiness.StartupReadiness;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;

/**
 * The dashboard pages. Each page checks the admin cookie; without it the browser is sent to the
 * sign-in form.
 */
@Controller
class AdminRoutes {

  private static final int ERRORS_SHOWN = 100;

  private final AdminSession session;
  private final AdminPages pages;
  private final IntegrationMap map;
  private final ErrorStore errors;
  private final ErrorReporter reporter;
  private final SwitchboardConfig config;
  private final StartupReadiness readiness;

  AdminRoutes(
      AdminSession session,
      AdminPages pages,
      IntegrationMap map,
      ErrorStore errors,
      ErrorReporter reporter,
      SwitchboardConfig config,
      StartupReadiness readiness) {
    this.readiness = readiness;
    this.session = session;
    this.pages = pages;
    this.map = map;
    this.errors = errors;
    this.reporter = reporter;
    this.config = config;
  }

  @GetMapping("/admin/login")
  ModelAndView login() {
    return loginPage(null, HttpStatus.OK);
  }

  @PostMapping("/admin/login")
  Object signIn(@RequestParam(name = "key", required = false) String key) {
    return session
        .signIn(key)
        .<Object>map(
            cookie ->
                ResponseEntity.status(HttpStatus.SEE_OTHER)
                    .header(HttpHeaders.SET_COOKIE, cookie)
                    .header(HttpHeaders.LOCATION, "/admin")
                    .build())
        .orElseGet(
            () ->
                loginPage(
                    "That is not a valid API key with the admin scope.", HttpStatus.UNAUTHORIZED));
  }

  @PostMapping("/admin/logout")
  ResponseEntity<Void> signOut(HttpServletRequest request) {
    return ResponseEntity.status(HttpStatus.SEE_OTHER)
        .header(HttpHeaders.SET_COOKIE, session.signOut(request))
        .header(HttpHeaders.LOCATION, "/admin/login")
        .build();
  }

  @GetMapping({"/admin", "/admin/"})
  Object integrationMap(HttpServletRequest request) {
    return pages.render(
        request,
        "admin/map",
        "Integration map",
        "navMap",
        () -> {
          MapPage page = MapPage.of(map.snapshot());
          return Map.of(
              "status",
              page.status(),
              "areas",
              page.areas(),
              "instances",
              page.instances(),
              "readiness",
              ReadinessPage.of(readiness.readiness()));
        });
  }

  @GetMapping("/admin/errors")
  Object errorsPage(HttpServletRequest request) {
    return pages.render(
        request,
        "admin/errors",
        "Errors",
        "navErrors",
        () ->
            Map.of(
                "reporterNote",
                "sentry".equals(reporter.provider())
                    ? "Errors are sent to Sentry; this table holds only what was recorded before Sentry was configured."
                    : "Set SENTRY_DSN to send them to Sentry instead.",
                "groups",
                errors.page(ERRORS_SHOWN, 0).groups()));
  }

  /**
   * Raises a test error through the configured reporter (local table or Sentry), to see the path
   * work end to end.
   */
  @PostMapping("/admin/errors/test")
  ResponseEntity<Void> raiseTestError(HttpServletRequest request) {
    if (session.current(request).isEmpty()) {
      return ResponseEntity.status(HttpStatus.SEE_OTHER)
          .header(HttpHeaders.LOCATION, "/admin/login")
          .build();
    }
    reporter.report(
        new IllegalStateException("Test error raised from the dashboard"),
        ErrorContext.task("dashboard.test-error", RequestIds.of(request)));
    reporter.flush(Duration.ofSeconds(5));
    return ResponseEntity.status(HttpStatus.SEE_OTHER)
        .header(HttpHeaders.LOCATION, "/admin/errors")
        .build();
  }

  private ModelAndView loginPage(String error, HttpStatus status) {
    return pages.loginPage(error, status);
  }
}
