package dev.switchboard.monitoring;

import java.util.Map;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.servlet.ModelAndView;

/**
 * {@code GET /status}: the public status page (no sign-in, nothing secret or internal), as HTML for
 * people and as JSON for {@code Accept: application/json}. Apps link it from their footer.
 */
@Controller
public class StatusRoutes {

  private final StatusPage page;

  public StatusRoutes(StatusPage page) {
    this.page = page;
  }

  @GetMapping(path = "/status", produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<StatusPage.View> json() {
    return ResponseEntity.ok().cacheControl(CacheControl.noCache()).body(page.view());
  }

  @GetMapping(path = "/status", produces = MediaType.TEXT_HTML_VALUE)
  ModelAndView html() {
    StatusPage.View view = page.view();
    return new ModelAndView(
        "status",
        Map.of(
            "state",
            view.state(),
            "integrations",
            view.integrations(),
            "incidents",
            view.incidents(),
            "hasIncidents",
            !view.incidents().isEmpty(),
            "operational",
            view.state().equals("operational")));
  }
}
