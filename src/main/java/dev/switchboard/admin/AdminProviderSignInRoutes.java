package dev.switchboard.admin;

import dev.switchboard.auth.Account;
import dev.switchboard.auth.OAuthFlows;
import dev.switchboard.auth.OAuthProviders;
import dev.switchboard.auth.Pkce;
import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.platform.http.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;

/**
 * Dashboard sign-in with Google or GitHub, for accounts with the {@code admin} role. The dashboard
 * is an app of the OAuth flow like any other: it starts {@code /api/auth/login/{provider}} with its
 * own PKCE challenge (the verifier waits in a Lax cookie on this browser, so a code sent to another
 * browser is useless), and redeems the one-time code on {@code /admin/login/callback} for the
 * account instead of an API session.
 */
@Controller
class AdminProviderSignInRoutes {

  static final Duration FLOW_COOKIE_LIFETIME = Duration.ofMinutes(10);

  private final OAuthProviders providers;
  private final OAuthFlows flows;
  private final AdminSession session;
  private final AdminPages pages;
  private final URI publicUrl;

  AdminProviderSignInRoutes(
      OAuthProviders providers,
      OAuthFlows flows,
      AdminSession session,
      AdminPages pages,
      SwitchboardConfig config) {
    this.providers = providers;
    this.flows = flows;
    this.session = session;
    this.pages = pages;
    this.publicUrl = config.core().publicUrl();
  }

  @GetMapping("/admin/login/{provider}")
  ResponseEntity<Void> start(@PathVariable String provider) {
    String id = providers.get(provider).id();
    String verifier = Pkce.random();
    String login =
        "/api/auth/login/"
            + id
            + "?redirect_to="
            + URLEncoder.encode(publicUrl + "/admin/login/callback", StandardCharsets.UTF_8)
            + "&code_challenge="
            + Pkce.s256(verifier)
            + "&code_challenge_method=S256";
    return ResponseEntity.status(HttpStatus.FOUND)
        .header(HttpHeaders.LOCATION, login)
        .header(HttpHeaders.SET_COOKIE, session.verifierCookie(verifier, FLOW_COOKIE_LIFETIME))
        .build();
  }

  @GetMapping("/admin/login/callback")
  ModelAndView callback(
      @RequestParam(name = "code", required = false) String code,
      @RequestParam(name = "error", required = false) String error,
      HttpServletRequest request,
      HttpServletResponse response) {
    response.addHeader(HttpHeaders.SET_COOKIE, session.verifierCookie("", Duration.ZERO));
    response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
    if (error != null || code == null) {
      return pages.loginPage(
          "Sign-in was not completed (" + (error == null ? "no code" : error) + ").",
          HttpStatus.UNAUTHORIZED);
    }
    Optional<String> verifier = AdminSession.verifier(request);
    Account account;
    try {
      account = flows.redeem(code, verifier.orElse(null));
    } catch (ApiException e) {
      return pages.loginPage(
          "Sign-in could not be completed; please try again.", HttpStatus.UNAUTHORIZED);
    }
    Optional<String> cookie = session.signIn(account);
    if (cookie.isEmpty()) {
      return pages.loginPage(
          "This account is not an admin: its verified address must be listed in "
              + "SWITCHBOARD_ADMIN_EMAILS.",
          HttpStatus.FORBIDDEN);
    }
    // A page that moves on by itself rather than a redirect: the browser arrived here through the
    // provider's
    // cross-site redirects, and would not send the SameSite=Strict session cookie on a redirect in
    // that chain.
    ModelAndView next = new ModelAndView("admin/continue");
    next.addObject("title", "Signed in");
    next.addObject("to", "/admin");
    response.addHeader(HttpHeaders.SET_COOKIE, cookie.get());
    return next;
  }
}
