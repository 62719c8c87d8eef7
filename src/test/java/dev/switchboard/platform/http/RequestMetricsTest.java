package dev.switchboard.platform.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.servlet.HandlerMapping;

class RequestMetricsTest {

  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final RequestMetrics metrics = new RequestMetrics(registry);

  void serve(String method, String pattern, FilterChain chain) throws Exception {
    MockHttpServletRequest request = new MockHttpServletRequest(method, "/x");
    if (pattern != null) {
      request.setAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE, pattern);
    }
    metrics.doFilter(request, new MockHttpServletResponse(), chain);
  }

  static FilterChain status(int status) {
    return (req, res) -> ((HttpServletResponse) res).setStatus(status);
  }

  Timer timer(String... tags) {
    return registry.find("http.server.requests").tags(tags).timer();
  }

  @Test
  void doFilterThenTimedUnderTheTagsSpringsObservationGave() throws Exception {
    serve("GET", "/api/ping", status(204));
    serve("GET", "/api/ping", status(204));
    serve("GET", null, status(404));
    serve("POST", null, status(405));
    serve("GET", null, status(302));
    serve("GET", "", status(200));
    serve("BREW", "/api/ping", status(400));

    Timer ping =
        timer(
            "error",
            "none",
            "exception",
            "none",
            "method",
            "GET",
            "outcome",
            "SUCCESS",
            "status",
            "204",
            "uri",
            "/api/ping");
    assertThat(ping).isNotNull();
    assertThat(ping.count()).isEqualTo(2);
    assertThat(ping.getId().getTags()).hasSize(6);
    assertThat(timer("status", "404", "uri", "NOT_FOUND", "outcome", "CLIENT_ERROR")).isNotNull();
    assertThat(timer("status", "405", "uri", "UNKNOWN", "method", "POST")).isNotNull();
    assertThat(timer("status", "302", "uri", "REDIRECTION", "outcome", "REDIRECTION")).isNotNull();
    assertThat(timer("status", "200", "uri", "root")).isNotNull();
    assertThat(timer("status", "400", "method", "UNKNOWN", "uri", "/api/ping")).isNotNull();
    assertThat(registry.find("http.server.requests").timers()).hasSize(6);
  }

  @Test
  void doFilterWhenAnExceptionEscapesThen500WithItsNameAndRethrown() {
    MockHttpServletRequest request = new MockHttpServletRequest("GET", "/x");
    request.setAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE, "/api/boom");
    MockHttpServletResponse response = new MockHttpServletResponse();

    assertThatThrownBy(
            () ->
                metrics.doFilter(
                    request,
                    response,
                    (req, res) -> {
                      throw new ServletException(new IllegalStateException("boom"));
                    }))
        .isInstanceOf(ServletException.class);

    assertThat(response.getStatus()).isEqualTo(500);
    assertThat(
            timer(
                "error",
                "IllegalStateException",
                "exception",
                "IllegalStateException",
                "outcome",
                "SERVER_ERROR",
                "status",
                "500",
                "uri",
                "/api/boom"))
        .isNotNull();
  }

  @Test
  void outcomeThenBySeries() {
    assertThat(RequestMetrics.outcome(101)).isEqualTo("INFORMATIONAL");
    assertThat(RequestMetrics.outcome(299)).isEqualTo("SUCCESS");
    assertThat(RequestMetrics.outcome(503)).isEqualTo("SERVER_ERROR");
    assertThat(RequestMetrics.outcome(99)).isEqualTo("UNKNOWN");
    assertThat(RequestMetrics.outcome(600)).isEqualTo("UNKNOWN");
  }
}
