package dev.switchboard.admin;

import dev.switchboard.platform.apikeys.ApiKeyService;
import dev.switchboard.platform.apikeys.CreatedApiKey;
import dev.switchboard.platform.apikeys.SetupToken;
import dev.switchboard.platform.http.ApiException;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;

/**
 * {@code /admin/setup}: the first admin key of a production install from the browser, with the
 * one-time setup token printed at startup ({@link SetupToken}), so a first operator needs no curl.
 * The page exists only while a token is outstanding and no admin key exists; otherwise it sends the
 * browser to the sign-in form. The key is shown once, on the answer to the post.
 */
@Controller
class AdminSetupRoutes {

  private final SetupToken setup;

  AdminSetupRoutes(SetupToken setup) {
    this.setup = setup;
  }

  @GetMapping("/admin/setup")
  Object form() {
    if (!setup.available()) {
      return toLogin();
    }
    return page(null, HttpStatus.OK);
  }

  @PostMapping("/admin/setup")
  Object create(
      @RequestParam(name = "token", required = false) String token,
      @RequestParam(name = "name", required = false) String name,
      HttpServletResponse response) {
    if (!setup.available()) {
      return toLogin();
    }
    String keyName = name == null || name.isBlank() ? "admin" : name.strip();
    if (keyName.length() > ApiKeyService.MAX_NAME_LENGTH) {
      return page(
          "The name must be at most " + ApiKeyService.MAX_NAME_LENGTH + " characters.",
          HttpStatus.BAD_REQUEST);
    }
    if (token == null || token.isBlank()) {
      return page("Paste the setup token from the startup log.", HttpStatus.BAD_REQUEST);
    }
    CreatedApiKey created;
    try {
      created = setup.redeem(token.strip(), keyName);
    } catch (ApiException e) {
      if (e.status() == 404) {
        return toLogin();
      }
      if (e.status() == 401) {
        return page(
            "That is not the setup token printed at startup. Nothing was created.",
            HttpStatus.UNAUTHORIZED);
      }
      return page(e.getMessage(), HttpStatus.BAD_REQUEST);
    }
    // The only time the key is shown: never cached, never kept.
    response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
    ModelAndView done = new ModelAndView("admin/setup");
    done.addObject("title", "First admin key");
    done.addObject("created", true);
    done.addObject("key", created.secret().reveal());
    done.addObject("keyName", created.key().name());
    return done;
  }

  private static ModelAndView page(String error, HttpStatus status) {
    ModelAndView page = new ModelAndView("admin/setup");
    page.addObject("title", "First admin key");
    page.addObject("error", error);
    page.setStatus(status);
    return page;
  }

  private static ResponseEntity<Void> toLogin() {
    return ResponseEntity.status(HttpStatus.SEE_OTHER)
        .header(HttpHeaders.LOCATION, "/admin/login")
        .build();
  }
}
