package dev.switchboard.monitoring;

import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/health}: public, statuses only; 503 while the database is down so load balancers
 * can act on it.
 */
@RestController
class HealthRoutes {

  private final IntegrationMap map;

  HealthRoutes(IntegrationMap map) {
    this.map = map;
  }

  @GetMapping("/api/health")
  ResponseEntity<HealthSummary> health() {
    HealthSummary summary = map.summary();
    return ResponseEntity.status(summary.down() ? 503 : 200)
        .cacheControl(CacheControl.noStore())
        .body(summary);
  }
}
