package dev.switchboard.platform.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.HttpTestClient;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

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
}
