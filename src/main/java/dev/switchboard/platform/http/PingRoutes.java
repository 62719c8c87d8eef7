package dev.switchboard.platform.http;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/ping}: answers 204 after the same filters every API request passes (request id,
 * body limit, authentication, rate limit). A load balancer probe, and the baseline the benchmarks
 * compare endpoints against.
 */
@RestController
public class PingRoutes {

  /** No body: a void handler with its status is done without content negotiation or converters. */
  @GetMapping("/api/ping")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  void ping() {}
}
