package dev.switchboard.monitoring;

import dev.switchboard.analytics.AnalyticsConfig;
import dev.switchboard.platform.config.Secret;
import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.platform.http.Caller;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.test.context.TestComponent;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Routes that fail on purpose, imported only by the error monitoring ITs ({@link TestComponent}
 * keeps component scanning from adding them to other tests). The first fails like a provider call
 * that quotes its key.
 */
@RestController
@TestComponent
public class FailingRoutes {

  public static final String CALLER_ID = "usr_test_caller_42";
  public static final String SECRET_PATH = "/test/errors/secret";
  public static final String OTHER_PATH = "/test/errors/other";

  private final ErrorReporter reporter;
  private final String segmentKey;

  public FailingRoutes(ErrorReporter reporter, SwitchboardConfig config) {
    this.reporter = reporter;
    this.segmentKey =
        config.area(AnalyticsConfig.class).segmentWriteKey().map(Secret::reveal).orElseThrow();
  }

  @RequestMapping(SECRET_PATH)
  String failWithSecret(HttpServletRequest request) {
    // Stands in for authentication, which sets the caller before any controller runs.
    request.setAttribute(Caller.ATTRIBUTE, new Caller(CALLER_ID, Caller.Kind.USER, Set.of()));
    reporter.breadcrumb(
        "http.segment",
        "POST /v1/batch with key " + segmentKey + " → 401",
        Map.of("status", "401", "authorization", "Basic " + segmentKey));
    throw new IllegalStateException("Segment rejected write key " + segmentKey);
  }

  @RequestMapping(OTHER_PATH)
  String failDifferently() {
    throw new UnsupportedOperationException("not implemented");
  }
}
