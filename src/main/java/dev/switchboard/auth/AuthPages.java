package dev.switchboard.auth;

import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.CacheControl;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.servlet.ModelAndView;

/**
 * The pages mailed links open, and a stand-in for the app a sign-in returns to. The mailed-link
 * pages they read the token from the URL fragment (never sent to any server) and post it to {@code
 * /api/auth/verify-email} or {@code /api/auth/password-reset/confirm}.
 */
@Controller
class AuthPages {

  @GetMapping("/auth/verify-email")
  ModelAndView verifyEmail(HttpServletResponse response) {
    noStore(response);
    return new ModelAndView("auth/verify-email");
  }

  /**
   * Where a sign-in can end when no app runs yet ({@code
   * redirect_to=http://localhost:8080/auth/signed-in}): shows the one-time code and the exchange
   * call. The code is read by the page's script, never rendered by the server.
   */
  @GetMapping("/auth/signed-in")
  ModelAndView signedIn(HttpServletResponse response) {
    noStore(response);
    return new ModelAndView("auth/signed-in");
  }

  @GetMapping("/auth/reset-password")
  ModelAndView resetPassword(HttpServletResponse response) {
    noStore(response);
    return new ModelAndView("auth/reset-password");
  }

  private static void noStore(HttpServletResponse response) {
    response.setHeader("Cache-Control", CacheControl.noStore().getHeaderValue());
    response.setHeader("Referrer-Policy", "no-referrer");
    response.setHeader(
        "Content-Security-Policy",
        "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; "
            + "form-action 'none'; frame-ancestors 'none'; base-uri 'none'");
  }
}
