package dev.switchboard.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.switchboard.testing.HttpTestClient;
import dev.switchboard.testing.TestKeys;
import jakarta.servlet.ServletRequestAttributeEvent;
import jakarta.servlet.ServletRequestAttributeListener;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.catalina.Context;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.servlet.context.ServletWebServerApplicationContext;
import org.springframework.boot.web.servlet.ServletListenerRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Pins which servlet filters run, in which order, for each kind of dispatch: a request, the
 * container's error dispatch to {@code /error} after a status without a body, a request refused by
 * a filter, the analytics CORS preflight. A {@link RequestFilter} logs the dispatch at trace level
 * just before its work and only when it does work; Spring's own {@link
 * org.springframework.web.filter.OncePerRequestFilter}s (character encoding) set their "already
 * filtered" request attribute at the same point. Both are recorded as they happen on the request
 * thread, so the list per dispatch type is the order in which the filters ran. How the filters are
 * registered with the container may change; this list may not.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "SWITCHBOARD_DATA_DIR=target/it-data/filter-chain",
      "ANALYTICS_KEY=wk_test_filter_chain_0123456789",
      TestKeys.ADMIN_PROPERTY
    })
class FilterChainIT {

  /**
   * The filters every request to the application passes before the route's own checks, in order.
   * Spring Boot's {@code formContentFilter} and {@code requestContextFilter} used to follow them
   * (their work is done by nothing here or by {@code DispatcherServlet}; see {@link
   * HttpConfiguration}).
   */
  static final List<String> FIRST =
      List.of(
          "REQUEST DurableAnswersFilter",
          "REQUEST RequestIds",
          "REQUEST characterEncodingFilter",
          "REQUEST ErrorContextFilter",
          "REQUEST RequestMetrics",
          "REQUEST ContentTypeCheck");

  static final List<String> AUTHENTICATION =
      List.of(
          "REQUEST BodySizeLimit",
          "REQUEST ApiKeyAuthentication",
          "REQUEST AccessTokenAuthentication");

  static final List<String> REJECTIONS =
      List.of("REQUEST InvalidKeyRejection", "REQUEST InvalidTokenRejection");

  static List<String> concat(List<?>... parts) {
    List<String> all = new ArrayList<>();
    for (List<?> part : parts) {
      part.forEach(p -> all.add(p.toString()));
    }
    return all;
  }

  static final List<Step> RAN = new ArrayList<>();

  static void ran(String dispatch, String filter) {
    synchronized (RAN) {
      RAN.add(new Step(dispatch, filter));
    }
  }

  /** Our filters' trace lines: "{dispatch type} {filter class}". */
  static final AppenderBase<ILoggingEvent> FILTER_TRACE =
      new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
          Object[] arguments = event.getArgumentArray();
          ran(arguments[0].toString(), arguments[1].toString());
        }
      };

  static Logger filterLog() {
    return (Logger) LoggerFactory.getLogger(RequestFilter.class);
  }

  /** After the context started (Spring Boot resets the logging configuration when it starts). */
  static void traceFilters() {
    if (!filterLog().isAttached(FILTER_TRACE)) {
      FILTER_TRACE.start();
      filterLog().addAppender(FILTER_TRACE);
      filterLog().setAdditive(false);
      filterLog().setLevel(Level.TRACE);
    }
  }

  @AfterAll
  static void stopTracingFilters() {
    filterLog().setLevel(null);
    filterLog().setAdditive(true);
    filterLog().detachAppender(FILTER_TRACE);
  }

  record Step(String dispatch, String filter) {
    @Override
    public String toString() {
      return dispatch + " " + filter;
    }
  }

  @TestConfiguration
  static class Recording {
    @Bean
    ServletListenerRegistrationBean<ServletRequestAttributeListener> filterRecorder() {
      return new ServletListenerRegistrationBean<>(
          new ServletRequestAttributeListener() {
            @Override
            public void attributeAdded(ServletRequestAttributeEvent event) {
              String name = event.getName();
              if (name.endsWith(".FILTERED")) {
                String filter = name.substring(0, name.length() - ".FILTERED".length());
                filter = filter.substring(filter.lastIndexOf('.') + 1);
                ran(event.getServletRequest().getDispatcherType().name(), filter);
              }
            }
          });
    }

    @Bean
    StatusOnlyRoute statusOnlyRoute() {
      return new StatusOnlyRoute();
    }
  }

  /** A route that ends with a status and no body, which the container sends to {@code /error}. */
  @RestController
  static class StatusOnlyRoute {
    @GetMapping("/api/test/status-only")
    void statusOnly(HttpServletResponse response) throws IOException {
      response.sendError(418);
    }
  }

  @LocalServerPort int port;
  @Autowired ServletWebServerApplicationContext context;
  HttpTestClient http;

  @BeforeEach
  void setUp() {
    traceFilters();
    http = new HttpTestClient(port);
  }

  List<String> ran(Runnable request) {
    synchronized (RAN) {
      RAN.clear();
    }
    request.run();
    synchronized (RAN) {
      return RAN.stream().map(Step::toString).toList();
    }
  }

  @Test
  void containerHasOneFilterForEveryDispatchType() {
    Context tomcat =
        (Context)
            ((TomcatWebServer) context.getWebServer()).getTomcat().getHost().findChildren()[0];
    assertThat(tomcat.findFilterMaps())
        .extracting(
            m ->
                m.getFilterName()
                    + " "
                    + Arrays.toString(m.getURLPatterns())
                    + " "
                    + Arrays.toString(m.getDispatcherNames()))
        .containsExactly("requestFilters [/*] [FORWARD, INCLUDE, REQUEST, ERROR, ASYNC]");
  }

  @Test
  void apiRequestPassesEveryFilterOnce() {
    assertThat(ran(() -> http.get("/api/ping")))
        .containsExactlyElementsOf(
            concat(FIRST, AUTHENTICATION, List.of("REQUEST RateLimitFilter"), REJECTIONS));
    assertThat(ran(() -> http.authorized(TestKeys.ADMIN).get("/api/keys")))
        .containsExactlyElementsOf(
            concat(FIRST, AUTHENTICATION, List.of("REQUEST RateLimitFilter"), REJECTIONS));
  }

  @Test
  void postWithIdempotencyKeyPassesTheIdempotencyFilterLast() {
    assertThat(
            ran(
                () ->
                    http.authorized(TestKeys.ADMIN)
                        .post(
                            "/api/keys",
                            "{\"name\":\"filter-chain\",\"scopes\":[\"admin\"]}",
                            "Idempotency-Key",
                            "filter-chain-it-1")))
        .containsExactlyElementsOf(
            concat(
                FIRST,
                AUTHENTICATION,
                List.of("REQUEST RateLimitFilter"),
                REJECTIONS,
                List.of("REQUEST IdempotencyFilter")));
  }

  @Test
  void unknownRouteIsAnsweredWithoutAnErrorDispatch() {
    assertThat(ran(() -> http.get("/api/does-not-exist")))
        .containsExactlyElementsOf(
            concat(FIRST, AUTHENTICATION, List.of("REQUEST RateLimitFilter"), REJECTIONS));
  }

  @Test
  void statusWithoutBodyIsAnErrorDispatchThatOnlyTheRequestIdFilterWorksOn() {
    assertThat(ran(() -> http.get("/api/test/status-only")))
        .containsExactlyElementsOf(
            concat(
                FIRST,
                AUTHENTICATION,
                List.of("REQUEST RateLimitFilter"),
                REJECTIONS,
                List.of("ERROR RequestIds")));
  }

  @Test
  void bodyOverTheLimitStopsAtTheBodyLimit() {
    assertThat(
            ran(
                () ->
                    http.post(
                        "/api/does-not-exist",
                        "\"" + "a".repeat((int) BodySizeLimit.DEFAULT_MAX_BYTES) + "\"")))
        .containsExactlyElementsOf(concat(FIRST, List.of("REQUEST BodySizeLimit")));
  }

  @Test
  void errorPathAndActuatorSkipTheRateLimit() {
    List<String> withoutRateLimit = concat(FIRST, AUTHENTICATION, REJECTIONS);
    assertThat(ran(() -> http.get("/error"))).containsExactlyElementsOf(withoutRateLimit);
    assertThat(ran(() -> http.get("/actuator/prometheus")))
        .containsExactlyElementsOf(withoutRateLimit);
  }

  @Test
  void crossSitePostToTheDashboardStopsAtSameOriginPosts() {
    assertThat(ran(() -> http.post("/admin/login", "{}", "Origin", "https://evil.example")))
        .containsExactlyElementsOf(
            concat(FIRST, AUTHENTICATION, List.of("REQUEST SameOriginPosts")));
  }

  @Test
  void analyticsPathsPassTheAnalyticsCorsFilterBeforeTheBodyLimit() {
    assertThat(
            ran(
                () ->
                    http.send(
                        HttpRequest.newBuilder(URI.create(http.base() + "/v1/batch"))
                            .method("OPTIONS", HttpRequest.BodyPublishers.noBody()),
                        "Origin",
                        "http://localhost:3000",
                        "Access-Control-Request-Method",
                        "POST")))
        .containsExactlyElementsOf(concat(FIRST, List.of("REQUEST AnalyticsCors")));
    assertThat(ran(() -> http.post("/v1/track", "{}")))
        .containsExactlyElementsOf(
            concat(
                FIRST,
                List.of("REQUEST AnalyticsCors"),
                AUTHENTICATION,
                List.of("REQUEST RateLimitFilter"),
                REJECTIONS));
    // The prefix is a path segment, as in a /v1/* mapping.
    assertThat(ran(() -> http.get("/v1x"))).doesNotContain("REQUEST AnalyticsCors");
  }
}
