package dev.switchboard.admin;

import dev.switchboard.platform.config.SwitchboardConfig;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.ModelAndView;

/** Renders a dashboard page for a signed-in admin, or sends the browser to the sign-in form. */
@Component
class AdminPages {

  private final AdminSession session;
  private final SwitchboardConfig config;

  AdminPages(AdminSession session, SwitchboardConfig config) {
    this.session = session;
    this.config = config;
  }

  /**
   * @param nav the navigation entry to highlight ({@code navMap}, {@code navEmail}, {@code navErrors})
   * @param model built only when the session is valid, so signed-out requests read nothing
   */
  Object render(HttpServletRequest request, String view, String title, String nav, Supplier<Map<String, ?>> model) {
    if (session.current(request).isEmpty()) {
      return ResponseEntity.status(HttpStatus.SEE_OTHER).header(HttpHeaders.LOCATION, "/admin/login").build();
    }
    ModelAndView page = new ModelAndView(view, model.get());
    page.addObject(nav, true);
    page.addObject("title", title);
    page.addObject("mode", config.core().mode().id());
    return page;
  }
}
