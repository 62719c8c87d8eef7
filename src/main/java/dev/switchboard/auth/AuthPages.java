package dev.switchboard.auth;

import org.springframework.http.CacheControl;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.servlet.ModelAndView;

/**
 * The two pages mailed links open: they read the token from the URL fragment (never sent to any server) and post it
 * to {@code /api/auth/verify-email} or {@code /api/auth/password-reset/confirm}.
 */
@Controller
class AuthPages {

  @GetMapping("/auth/verify-email")
  ModelAndView verifyEmail(jakarta.servlet.http.HttpServletResponse response) {
    noStore(response);
    return new ModelAndView("auth/verify-email");
  }

  @GetMapping("/auth/reset-password")
  ModelAndView resetPassword(jakarta.servlet.http.HttpServletResponse response) {
    noStore(response);
    return new ModelAndView("auth/reset-password");
  }

  private static void noStore(jakarta.servlet.http.HttpServletResponse response) {
    response.setHeader("Cache-Control", CacheControl.noStore().getHeaderValue());
    response.setHeader("Referrer-Policy", "no-referrer");
    response.setHeader("Content-Security-Policy",
        "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; "
            + "form-action 'none'; frame-ancestors 'none'; base-uri 'none'");
  }
}
