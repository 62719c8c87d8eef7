package dev.switchboard.auth;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.Map;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * OAuth sign-in over HTTP: {@code GET /api/auth/login/{provider}} and {@code GET
 * /api/auth/callback/{provider}} answer browser redirects; {@code POST /api/auth/exchange} turns
 * the one-time code into a session; {@code GET /api/auth/link/{provider}} answers {@code {url}} for
 * a signed-in app to navigate to, since a browser navigation cannot carry the bearer token, and
 * {@code POST /api/auth/link/{provider}/complete} adds the identity behind the link code the
 * callback returned, under the same account's token; {@code DELETE /api/auth/link/{provider}}
 * unlinks.
 */
@RestController
class OAuthRoutes {

  private final OAuthFlows flows;
  private final AccountLinker linker;

  OAuthRoutes(OAuthFlows flows, AccountLinker linker) {
    this.flows = flows;
    this.linker = linker;
  }

  @GetMapping("/api/auth/login/{provider}")
  ResponseEntity<Void> login(
      @PathVariable String provider,
      @RequestParam(name = "redirect_to", required = false) String redirectTo,
      @RequestParam(name = "code_challenge", required = false) String codeChallenge,
      @RequestParam(name = "code_challenge_method", required = false) String codeChallengeMethod,
      @RequestParam(name = "attempt", required = false) String attempt) {
    return redirect(
        flows.start(
            provider, redirectTo, codeChallenge, codeChallengeMethod, "2".equals(attempt) ? 2 : 1));
  }

  @GetMapping("/api/auth/callback/{provider}")
  ResponseEntity<Void> callback(
      @PathVariable String provider, @RequestParam Map<String, String> params) {
    return redirect(flows.callback(provider, params));
  }

  @PostMapping("/api/auth/exchange")
  ResponseEntity<Map<String, Object>> exchange(
      @RequestBody(required = false) ExchangeRequest body, HttpServletRequest request) {
    ExchangeRequest exchange = body == null ? new ExchangeRequest(null, null) : body;
    SessionTokens tokens =
        flows.exchange(exchange.code(), exchange.codeVerifier(), AuthRequests.client(request));
    return AuthJson.tokenResponse(tokens);
  }

  @GetMapping("/api/auth/link/{provider}")
  ResponseEntity<Map<String, String>> link(
      @PathVariable String provider,
      @RequestParam(name = "redirect_to", required = false) String redirectTo,
      HttpServletRequest request) {
    URI url = flows.startLink(provider, AuthRequests.accountId(request), redirectTo);
    return ResponseEntity.ok()
        .cacheControl(CacheControl.noStore())
        .body(Map.of("url", url.toString()));
  }

  /**
   * {@code {code}} from the link callback's redirect; answers the account. Only the account that
   * started it may.
   */
  @PostMapping("/api/auth/link/{provider}/complete")
  ResponseEntity<Map<String, Object>> completeLink(
      @PathVariable String provider,
      @RequestBody(required = false) LinkCompletion body,
      HttpServletRequest request) {
    String accountId = AuthRequests.accountId(request);
    Account account = flows.completeLink(provider, body == null ? null : body.code(), accountId);
    return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(AuthJson.user(account));
  }

  /**
   * Removes the provider from the signed-in account; refused (409) when it is the last way to sign
   * in.
   */
  @DeleteMapping("/api/auth/link/{provider}")
  ResponseEntity<Void> unlink(@PathVariable String provider, HttpServletRequest request) {
    linker.unlink(AuthRequests.accountId(request), provider);
    return ResponseEntity.noContent().build();
  }

  private static ResponseEntity<Void> redirect(URI location) {
    return ResponseEntity.status(HttpStatus.FOUND)
        .location(location)
        .cacheControl(CacheControl.noStore())
        .build();
  }

  /** {@code {"code": "…"}}: the {@code link_code} of the link callback's redirect. */
  record LinkCompletion(String code) {}

  /** {@code {"code": "…", "code_verifier": "…"}}; {@code codeVerifier} is accepted too. */
  record ExchangeRequest(
      String code, @JsonProperty("code_verifier") @JsonAlias("codeVerifier") String codeVerifier) {}
}
