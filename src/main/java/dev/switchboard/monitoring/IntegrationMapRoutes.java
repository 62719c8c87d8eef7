package dev.switchboard.monitoring;

import dev.switchboard.platform.apikeys.RequiresScope;
import dev.switchboard.platform.apikeys.Scopes;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/integrations}: the integration map with masked configuration. Operator-only once
 * API keys exist; the scope check then goes on {@link #integrations()}.
 */
@RestController
class IntegrationMapRoutes {

  private final IntegrationMap map;

  IntegrationMapRoutes(IntegrationMap map) {
    this.map = map;
  }

  @GetMapping("/api/integrations")
  @RequiresScope(Scopes.ADMIN)
  ResponseEntity<IntegrationMapView> integrations() {
    return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(map.snapshot());
  }
}
