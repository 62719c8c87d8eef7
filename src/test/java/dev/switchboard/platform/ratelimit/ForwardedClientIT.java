package dev.switchboard.platform.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.HttpTestClient;
import jakarta.servlet.ServletRequestAttributeEvent;
import jakarta.servlet.ServletRequestAttributeListener;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.servlet.ServletListenerRegistrationBean;
import org.springframework.context.annotation.Bean;

/**
 * Behind a proxy on an internal address, each client behind it has its own bucket (from
 * X-Forwarded-For), rather than every client sharing the proxy's.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "SWITCHBOARD_DATA_DIR=target/it-data/forwarded-client",
      "SWITCHBOARD_API_RATE_LIMIT=2/min"
    })
class ForwardedClientIT {

  /** Names of the request attributes set while the tests ran (by anything: valves, filters). */
  static final Set<String> ATTRIBUTES_SET = ConcurrentHashMap.newKeySet();

  @LocalServerPort int port;

  @Test
  void requestWhenProxyForwardsClientAddressesThenEachClientHasItsOwnLimit() {
    HttpTestClient proxy = new HttpTestClient(port);
    for (int i = 0; i < 2; i++) {
      assertThat(proxy.get("/api/ping", "X-Forwarded-For", "203.0.113.7").statusCode())
          .isEqualTo(204);
    }
    assertThat(proxy.get("/api/ping", "X-Forwarded-For", "203.0.113.7").statusCode())
        .isEqualTo(429);
    assertThat(proxy.get("/api/ping", "X-Forwarded-For", "203.0.113.8").statusCode())
        .isEqualTo(204);
  }

  /**
   * The container's forwarded-header valve copies nothing into request attributes for an access log
   * (there is none); the client address still comes from the header, as the test above shows.
   */
  @Test
  void requestWhenProxyForwardsClientAddressThenNoAccessLogAttributesAreSet() {
    HttpTestClient proxy = new HttpTestClient(port);
    assertThat(proxy.get("/api/ping", "X-Forwarded-For", "203.0.113.9").statusCode())
        .isEqualTo(204);
    assertThat(ATTRIBUTES_SET)
        .contains("dev.switchboard.platform.http.RequestIds")
        .noneMatch(name -> name.startsWith("org.apache.catalina.AccessLog."))
        .doesNotContain("org.apache.tomcat.remoteAddr");
  }

  @TestConfiguration
  static class AttributeRecording {
    @Bean
    ServletListenerRegistrationBean<ServletRequestAttributeListener> attributeRecorder() {
      return new ServletListenerRegistrationBean<>(
          new ServletRequestAttributeListener() {
            @Override
            public void attributeAdded(ServletRequestAttributeEvent event) {
              ATTRIBUTES_SET.add(event.getName());
            }
          });
    }
  }
}
