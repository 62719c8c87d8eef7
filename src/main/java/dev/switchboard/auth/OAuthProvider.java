package dev.switchboard.auth;

import dev.switchboard.platform.integrations.HealthResult;
import java.net.URI;

/**
 * One sign-in provider spoken to with the OAuth 2.0 authorization code flow (plus OpenID Connect
 * where the provider has it). Adapters live in {@code auth/google}, {@code auth/github} and {@code
 * auth/dev}; the flow around them (state, redirects, one-time codes) is {@link OAuthFlows}, which
 * is the same for every provider.
 */
public interface OAuthProvider {

  /** The provider id used in URLs and rows: {@code google}, {@code github}. */
  String id();

  /**
   * Who actually answers: {@code google}, {@code github}, or {@code dev} for the embedded identity
   * provider, which stands in for another.
   */
  default String serving() {
    return id();
  }

  /**
   * Where to send the browser to ask the user for consent: the provider's authorization endpoint
   * with {@code client_id}, {@code redirect_uri}, scopes, {@code state}, the PKCE {@code
   * code_challenge} (S256) derived from {@code request.codeVerifier()} and, for OpenID Connect, a
   * {@code nonce} derived from {@code request.nonce()}.
   *
   * @throws AuthException 502 {@code provider_unavailable} when the provider's metadata cannot be
   *     read
   */
  URI authorizationUri(OAuthRequest request);

  /**
   * Exchanges the code the provider sent to the callback and reads who the user is.
   *
   * @param request the same values {@link #authorizationUri} was given for this flow
   * @throws AuthException 400 {@code invalid_grant} when the provider refuses the code (expired,
   *     used, wrong PKCE); 400 {@code invalid_id_token} when an OpenID Connect id token fails
   *     validation (signature, audience, nonce); 502 {@code provider_unavailable} when the provider
   *     cannot be reached, fails, or answers something unreadable
   */
  ProviderProfile exchange(OAuthRequest request, String code);

  /**
   * A cheap, read-only round trip that tells whether sign-in would work now (discovery document,
   * API root).
   *
   * @throws Exception when the provider cannot be reached
   */
  HealthResult health() throws Exception;
}
