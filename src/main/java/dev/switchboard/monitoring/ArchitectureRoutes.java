package dev.switchboard.monitoring;

import dev.switchboard.platform.apikeys.RequiresScope;
import dev.switchboard.platform.apikeys.Scopes;
import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.platform.integrations.ArchitectureSection;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/integrations/architecture.md}: the generated architecture document. Admin only
 * (infrastructure).
 */
@RestController
class ArchitectureRoutes {

  static final MediaType MARKDOWN = new MediaType("text", "markdown", StandardCharsets.UTF_8);

  private final ArchitectureDocument document;

  ArchitectureRoutes(SwitchboardConfig config, List<ArchitectureSection> sections, Clock clock) {
    this.document = new ArchitectureDocument(config, sections, clock);
  }

  @GetMapping("/api/integrations/architecture.md")
  @RequiresScope(Scopes.ADMIN)
  ResponseEntity<String> architecture() {
    return ResponseEntity.ok()
        .cacheControl(CacheControl.noStore())
        .contentType(MARKDOWN)
        .body(document.render());
  }
}
