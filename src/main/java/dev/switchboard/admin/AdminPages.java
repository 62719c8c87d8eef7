package dev.switchboard.admin;

import dev.switchboard.auth.OAuthProviders;
import dev.switchboard.platform.apikeys.SetupToken;
import dev.switchboard.platform.config.SwitchboardConfig;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.servlet.ModelAndView;

/** Renders a dashboard page for a signed-in admin, or sends the browser to the sign-in form. */
class AdminPages {

  private final AdminSession session;
  private final SwitchboardConfig config;
  private final OAuthProviders providers;
  private final SetupToken setup;

  AdminPages(
      AdminSession session, SwitchboardConfig config, OAuthProviders providers, SetupToken setup) {
    this.setup = setup;
    this.session = session;
    this.config = config;
    this.providers = providers;
  }

  /**
   * The sign-in form: an admin API key, or a "Sign in with …" button per OAuth provider offered.
   */
  ModelAndView loginPage(String error, HttpStatus status) {
    ModelAndView page = new ModelAndView("admin/login");
    page.addObject("title", "Sign in");
    page.addObject("error", error);
    page.addObject("devKeyPath", config.core().dataDir().resolve("dev-api-key").toString());
    page.addObject(
        "providers",
        providers.all().stream()
            .map(
                p ->
                    Map.of(
                        "id",
                        p.id(),
                        "name",
                        p.id().equals("github")
                            ? "GitHub"
                            : p.id().equals("google") ? "Google" : p.id(),
                        "dev",
                        "dev".equals(p.serving())))
            .toList());
    page.addObject("hasProviders", !providers.all().isEmpty());
    page.addObject("setupAvailable", setup.available());
    page.setStatus(status);
    return page;
  }

  /**
   * @param nav the navigation entry to highlight ({@code navMap}, {@code navEmail}, {@code
   *     navErrors})
   * @param model built only when the session is valid, so signed-out requests read nothing
   */
  Object render(
      HttpServletRequest request,
      String view,
      String title,
      String nav,
      Supplier<Map<String, ?>> model) {
    if (session.current(request).isEmpty()) {
      return ResponseEntity.status(HttpStatus.SEE_OTHER)
          .header(HttpHeaders.LOCATION, "/admin/login")
          .build();
    }
    ModelAndView page = new ModelAndView(view, model.get());
    page.addObject(nav, true);
    page.addObject("title", title);
    page.addObject("mode", config.core().mode().id());
    return page;
  }
}
