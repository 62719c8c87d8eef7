package dev.switchboard.auth.dev;

import dev.switchboard.auth.OAuthFlows;
import dev.switchboard.auth.OAuthProviders;
import dev.switchboard.auth.Pkce;
import dev.switchboard.platform.http.ApiException;
import dev.switchboard.platform.http.CallerGuard;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.ModelAndView;

/**
 * The dev identity provider's OAuth endpoints (RFC 6749 with RFC 7636 PKCE), served only for a
 * provider id that the dev provider stands in for: {@code GET authorize} shows a page to sign in as
 * anyone, {@code POST authorize} redirects to the callback with a code (or {@code
 * error=access_denied}), {@code POST token} checks the code, the redirect URI and the PKCE
 * verifier, {@code GET userinfo} answers OpenID Connect style claims. Like a real provider it only
 * ever redirects to the registered callback.
 */
@Controller
class DevIdentityRoutes {

  static final String[] OAUTH_PARAMS = {
    "response_type",
    "client_id",
    "redirect_uri",
    "state",
    "code_challenge",
    "code_challenge_method",
    "scope",
    "nonce"
  };
  private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]{1,255}$");

  private final OAuthProviders providers;
  private final OAuthFlows flows;
  private final DevGrants grants;

  DevIdentityRoutes(OAuthProviders providers, OAuthFlows flows, DevGrants grants) {
    this.providers = providers;
    this.flows = flows;
    this.grants = grants;
  }

  @GetMapping("/dev/oauth/{provider}/authorize")
  ModelAndView authorizePage(
      @PathVariable String provider, @RequestParam Map<String, String> params) {
    checkAuthorizeRequest(provider, params);
    return page(provider, params, null, HttpStatus.OK);
  }

  @PostMapping(
      path = "/dev/oauth/{provider}/authorize",
      consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
  Object authorize(@PathVariable String provider, @RequestParam Map<String, String> form) {
    String redirectUri = checkAuthorizeRequest(provider, form);
    Map<String, String> answer = new LinkedHashMap<>();
    if (!"allow".equals(form.get("decision"))) {
      answer.put("error", "access_denied");
      answer.put("error_description", "The user denied the request");
    } else {
      String email = form.getOrDefault("email", "").trim().toLowerCase(Locale.ROOT);
      if (!EMAIL.matcher(email).matches()) {
        return page(
            provider, form, "Enter an email address to sign in as.", HttpStatus.BAD_REQUEST);
      }
      String name = form.getOrDefault("name", "").trim();
      String code = Pkce.random();
      grants.putCode(
          code,
          new DevGrants.Grant(
              provider,
              email,
              name.isEmpty() ? null : name,
              "true".equals(form.get("email_verified")),
              redirectUri,
              form.get("code_challenge"),
              form.get("scope")));
      answer.put("code", code);
    }
    answer.put("state", form.get("state"));
    StringBuilder location = new StringBuilder(redirectUri);
    char separator = '?';
    for (Map.Entry<String, String> p : answer.entrySet()) {
      location
          .append(separator)
          .append(p.getKey())
          .append('=')
          .append(URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8).replace("+", "%20"));
      separator = '&';
    }
    return ResponseEntity.status(HttpStatus.FOUND)
        .location(URI.create(location.toString()))
        .cacheControl(CacheControl.noStore())
        .build();
  }

  @PostMapping(
      path = "/dev/oauth/{provider}/token",
      consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
  @ResponseBody
  ResponseEntity<Map<String, Object>> token(
      @PathVariable String provider, @RequestParam Map<String, String> form) {
    requireDev(provider);
    if (!"authorization_code".equals(form.get("grant_type"))) {
      return oauthError("unsupported_grant_type");
    }
    if (!DevIdentityProvider.CLIENT_ID.equals(form.get("client_id"))) {
      return oauthError("invalid_client");
    }
    DevGrants.Grant grant = grants.takeCode(form.get("code")).orElse(null);
    if (grant == null
        || !grant.provider().equals(provider)
        || !grant.redirectUri().equals(form.get("redirect_uri"))
        || !Pkce.matches(form.get("code_verifier"), grant.codeChallenge())) {
      return oauthError("invalid_grant");
    }
    String token = Pkce.random();
    grants.putToken(token, grant);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("access_token", token);
    body.put("token_type", "Bearer");
    body.put("expires_in", DevGrants.TOKEN_LIFETIME.toSeconds());
    body.put("scope", grant.scope() == null ? "" : grant.scope());
    return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(body);
  }

  @GetMapping("/dev/oauth/{provider}/userinfo")
  @ResponseBody
  ResponseEntity<Map<String, Object>> userinfo(
      @PathVariable String provider,
      @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
    requireDev(provider);
    String token = CallerGuard.bearerToken(authorization).orElse(null);
    DevGrants.Grant grant =
        grants.token(token).filter(g -> g.provider().equals(provider)).orElse(null);
    if (grant == null) {
      return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
          .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"")
          .build();
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("sub", grant.subject());
    body.put("email", grant.email());
    body.put("email_verified", grant.emailVerified());
    body.put("name", grant.name());
    return ResponseEntity.ok(body);
  }

  /** The registered callback; anything else is refused without a redirect, as real providers do. */
  private String checkAuthorizeRequest(String provider, Map<String, String> params) {
    requireDev(provider);
    String callback = flows.callbackUri(provider).toString();
    if (!DevIdentityProvider.CLIENT_ID.equals(params.get("client_id"))) {
      throw ApiException.invalidField("client_id", "Unknown client_id");
    }
    if (!callback.equals(params.get("redirect_uri"))) {
      throw ApiException.invalidField("redirect_uri", "redirect_uri must be " + callback);
    }
    if (!"code".equals(params.get("response_type"))) {
      throw ApiException.invalidField("response_type", "response_type must be code");
    }
    if (!Pkce.validChallenge(params.get("code_challenge"))
        || !"S256".equals(params.get("code_challenge_method"))) {
      throw ApiException.invalidField(
          "code_challenge", "PKCE with code_challenge_method=S256 is required");
    }
    if (params.get("state") == null || params.get("state").isBlank()) {
      throw ApiException.invalidField("state", "state is required");
    }
    return callback;
  }

  private void requireDev(String provider) {
    if (!DevIdentityProvider.SERVING.equals(providers.get(provider).serving())) {
      throw ApiException.notFound("dev identity provider");
    }
  }

  private static ModelAndView page(
      String provider, Map<String, String> params, String error, HttpStatus status) {
    ModelAndView page = new ModelAndView("dev-oauth/authorize");
    page.addObject("provider", provider);
    page.addObject(
        "providerName",
        provider.equals("github") ? "GitHub" : provider.equals("google") ? "Google" : provider);
    page.addObject("error", error);
    page.addObject("email", params.getOrDefault("email", ""));
    page.addObject("name", params.getOrDefault("name", ""));
    List<Map<String, String>> hidden = new ArrayList<>();
    for (String name : OAUTH_PARAMS) {
      if (params.get(name) != null) {
        hidden.add(Map.of("name", name, "value", params.get(name)));
      }
    }
    page.addObject("hidden", hidden);
    page.setStatus(status);
    return page;
  }

  private static ResponseEntity<Map<String, Object>> oauthError(String code) {
    return ResponseEntity.badRequest()
        .cacheControl(CacheControl.noStore())
        .body(Map.of("error", code));
  }
}
