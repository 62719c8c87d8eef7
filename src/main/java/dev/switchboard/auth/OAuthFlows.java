package dev.switchboard.auth;

import dev.switchboard.platform.apikeys.ApiKeyHash;
import dev.switchboard.platform.http.ApiException;
import dev.switchboard.platform.http.RedirectTargets;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OAuth sign-in flow, the same for every provider: start (state, PKCE and nonce in a single-use
 * row), callback (code exchange, profile, account, one-time code back to the app), and the app's
 * exchange of that code for a session. Errors with a known {@code redirect_to} go back to it as
 * {@code error}/{@code error_description} query parameters; errors without one (no or unknown
 * state) are thrown as JSON errors.
 */
public class OAuthFlows {

  static final Duration FLOW_LIFETIME = Duration.ofMinutes(10);
  static final Duration CODE_LIFETIME = Duration.ofSeconds(60);
  private static final Logger log = LoggerFactory.getLogger(OAuthFlows.class);

  private final OAuthProviders providers;
  private final OAuthFlowStore store;
  private final ProviderSignIn signIn;
  private final SessionIssuer sessions;
  private final Accounts accounts;
  private final RedirectTargets targets;
  private final URI publicUrl;
  private final Clock clock;

  public OAuthFlows(
      OAuthProviders providers,
      OAuthFlowStore store,
      ProviderSignIn signIn,
      SessionIssuer sessions,
      Accounts accounts,
      RedirectTargets targets,
      URI publicUrl,
      Clock clock) {
    this.providers = providers;
    this.store = store;
    this.signIn = signIn;
    this.sessions = sessions;
    this.accounts = accounts;
    this.targets = targets;
    this.publicUrl = publicUrl;
    this.clock = clock;
  }

  /**
   * Starts a sign-in and returns the provider URL to send the browser to.
   *
   * @param codeChallenge the app's own PKCE challenge, or null
   * @param attempt 2 when this is the automatic restart after {@code invalid_grant}
   * @throws AuthException 404 {@code unknown_provider}; 400 {@code redirect_not_allowed}; 400
   *     {@code validation_failed} for a malformed challenge or a method other than {@code S256}
   */
  public URI start(
      String provider,
      String redirectTo,
      String codeChallenge,
      String codeChallengeMethod,
      int attempt) {
    OAuthProvider p = providers.get(provider);
    URI target = targets.check(redirectTo, "redirect_to");
    Optional<String> challenge = appChallenge(codeChallenge, codeChallengeMethod);
    return begin(p, target, challenge, Optional.empty(), attempt == 2 ? 2 : 1);
  }

  /**
   * Starts adding a provider to a signed-in account. The callback does not link: it sends the
   * browser to {@code redirectTo?link_code=<code>&provider=<provider>}, and the app completes the
   * link with {@link #completeLink} under the same account's session. The state alone must not
   * link, or anyone could send their own link URL to a victim and get the victim's provider account
   * attached to theirs.
   */
  public URI startLink(String provider, String accountId, String redirectTo) {
    OAuthProvider p = providers.get(provider);
    URI target = targets.check(redirectTo, "redirect_to");
    return begin(p, target, Optional.empty(), Optional.of(accountId), 1);
  }

  private URI begin(
      OAuthProvider p, URI target, Optional<String> challenge, Optional<String> link, int attempt) {
    OAuthRequest request =
        new OAuthRequest(Pkce.random(), Pkce.random(), Pkce.random(), callbackUri(p.id()));
    URI authorize = p.authorizationUri(request);
    Instant now = clock.instant();
    store.insertFlow(
        new OAuthFlow(
            ApiKeyHash.of(request.state()),
            p.id(),
            target.toString(),
            request.codeVerifier(),
            request.nonce(),
            challenge,
            link,
            attempt,
            now,
            now.plus(FLOW_LIFETIME)));
    return authorize;
  }

  /**
   * Completes the provider's redirect and returns where to send the browser: the app's {@code
   * redirect_to} with a one-time {@code code} (or {@code error}), or the login URL once more after
   * a first {@code invalid_grant}.
   *
   * @param params the callback's query parameters ({@code state}, {@code code}, {@code error})
   * @throws AuthException 404 {@code unknown_provider}; 400 {@code bad_oauth_state} for a missing,
   *     unknown, used or mismatched state; 400 {@code validation_failed} when neither {@code code}
   *     nor {@code error} is present
   */
  public URI callback(String provider, Map<String, String> params) {
    OAuthProvider p = providers.get(provider);
    String state = params.get("state");
    if (state == null || state.isBlank()) {
      throw badState();
    }
    OAuthFlow flow =
        store
            .findFlow(ApiKeyHash.of(state))
            .filter(f -> f.provider().equals(p.id()))
            .orElseThrow(OAuthFlows::badState);
    String error = params.get("error");
    String code = params.get("code");
    if (blank(error) && blank(code)) {
      throw ApiException.invalidField("code", "The callback has neither a code nor an error");
    }
    if (!store.claimFlow(flow.stateHash())) {
      throw badState();
    }
    if (!clock.instant().isBefore(flow.expiresAt())) {
      return fail(
          flow, "flow_state_expired", "The sign-in took more than 10 minutes; please start again");
    }
    if (!blank(error)) {
      return "access_denied".equals(error)
          ? fail(flow, "access_denied", "Permission required")
          : fail(flow, "provider_unavailable", "The provider could not complete the sign-in");
    }
    ProviderProfile profile;
    try {
      profile =
          p.exchange(
              new OAuthRequest(state, flow.codeVerifier(), flow.nonce(), callbackUri(p.id())),
              code);
    } catch (ApiException e) {
      if ("invalid_grant".equals(e.code())
          && flow.attempt() == 1
          && flow.linkAccountId().isEmpty()) {
        return restart(flow);
      }
      log.info("OAuth code exchange with {} failed: {}", p.id(), e.code());
      return fail(flow, e.code(), e.getMessage());
    }
    try {
      if (flow.linkAccountId().isPresent()) {
        String linkCode = Pkce.random();
        Instant now = clock.instant();
        store.insertLinkCode(
            ApiKeyHash.of(linkCode),
            flow.linkAccountId().get(),
            profile,
            now,
            now.plus(CODE_LIFETIME));
        return Redirects.withParams(
            flow.redirectTo(), Map.of("link_code", linkCode, "provider", p.id()));
      }
      Account account = signIn.signIn(profile);
      String oneTime = Pkce.random();
      Instant now = clock.instant();
      store.insertCode(
          ApiKeyHash.of(oneTime),
          account.id(),
          p.id(),
          flow.appChallenge(),
          now,
          now.plus(CODE_LIFETIME));
      return Redirects.withParams(flow.redirectTo(), Map.of("code", oneTime));
    } catch (ApiException e) {
      return fail(flow, e.code(), e.getMessage());
    }
  }

  /**
   * Exchanges the one-time code from the redirect for a session.
   *
   * @throws AuthException 400 {@code invalid_code} when the code is unknown, expired or used; 400
   *     {@code invalid_code_verifier} when the app sent a challenge on login and this verifier does
   *     not match it
   */
  public SessionTokens exchange(String code, String codeVerifier, ClientInfo client) {
    OAuthFlowStore.IssuedCode issued = claim(code, codeVerifier);
    return sessions.open(issued.accountId(), issued.method(), client);
  }

  /**
   * Exchanges the one-time code for the account itself, without opening an API session: for a
   * server that keeps its own session, like the dashboard.
   */
  public Account redeem(String code, String codeVerifier) {
    OAuthFlowStore.IssuedCode issued = claim(code, codeVerifier);
    return accounts
        .find(issued.accountId())
        .orElseThrow(
            () ->
                new AuthException(
                    400, "invalid_code", "The code is unknown, expired or already used"));
  }

  /**
   * Adds the provider identity behind a link code to the signed-in account, when that account
   * started the link.
   *
   * @throws AuthException 404 {@code unknown_provider}; 400 {@code invalid_code} when the code is
   *     unknown, expired, used, a sign-in code, or for another provider; 403 {@code
   *     link_account_mismatch} when another account started the link (the code is used up and
   *     nothing is linked); 409 {@code identity_already_linked}
   */
  public Account completeLink(String provider, String code, String accountId) {
    OAuthProvider p = providers.get(provider);
    if (blank(code) || code.length() > 200) {
      throw ApiException.invalidField("code", "'code' is required");
    }
    OAuthFlowStore.IssuedCode issued =
        store
            .claimCode(ApiKeyHash.of(code), clock.instant())
            .filter(i -> i.link().isPresent() && i.method().equals(p.id()))
            .orElseThrow(OAuthFlows::invalidCode);
    if (!issued.accountId().equals(accountId)) {
      log.info("Link code of another account presented; nothing linked");
      throw new AuthException(
          403,
          "link_account_mismatch",
          "This link was started by another account. Start it again while signed in to this account.");
    }
    return signIn.link(accountId, issued.link().get());
  }

  /** Removes flows nobody came back from and codes nobody exchanged. */
  public int deleteExpired() {
    return store.deleteExpired(clock.instant());
  }

  public URI callbackUri(String provider) {
    return URI.create(publicUrl + "/api/auth/callback/" + provider);
  }

  private OAuthFlowStore.IssuedCode claim(String code, String codeVerifier) {
    if (blank(code) || code.length() > 200) {
      throw ApiException.invalidField("code", "'code' is required");
    }
    OAuthFlowStore.IssuedCode issued =
        store
            .claimCode(ApiKeyHash.of(code), clock.instant())
            .filter(i -> i.link().isEmpty())
            .orElseThrow(OAuthFlows::invalidCode);
    if (issued.appChallenge().isPresent()
        && !Pkce.matches(codeVerifier, issued.appChallenge().get())) {
      throw new AuthException(
          400, "invalid_code_verifier", "The code_verifier does not match the code_challenge");
    }
    return issued;
  }

  private URI restart(OAuthFlow flow) {
    StringBuilder login = new StringBuilder(publicUrl + "/api/auth/login/" + flow.provider());
    Map<String, String> params = new LinkedHashMap<>();
    params.put("redirect_to", flow.redirectTo());
    flow.appChallenge()
        .ifPresent(
            c -> {
              params.put("code_challenge", c);
              params.put("code_challenge_method", "S256");
            });
    params.put("attempt", "2");
    return Redirects.withParams(login.toString(), params);
  }

  private static URI fail(OAuthFlow flow, String code, String description) {
    return Redirects.withParams(
        flow.redirectTo(), Map.of("error", code, "error_description", description));
  }

  private static Optional<String> appChallenge(String challenge, String method) {
    if (blank(challenge)) {
      if (!blank(method)) {
        throw ApiException.invalidField(
            "code_challenge", "'code_challenge_method' needs a 'code_challenge'");
      }
      return Optional.empty();
    }
    if (!"S256".equals(method)) {
      throw ApiException.invalidField(
          "code_challenge_method", "'code_challenge_method' must be S256");
    }
    if (!Pkce.validChallenge(challenge)) {
      throw ApiException.invalidField(
          "code_challenge", "'code_challenge' must be a base64url SHA-256 (43 characters)");
    }
    return Optional.of(challenge);
  }

  private static AuthException invalidCode() {
    return new AuthException(400, "invalid_code", "The code is unknown, expired or already used");
  }

  private static AuthException badState() {
    return new AuthException(
        400,
        "bad_oauth_state",
        "This sign-in link is invalid or was already used; please start again");
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
