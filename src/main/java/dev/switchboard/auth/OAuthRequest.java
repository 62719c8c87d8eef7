package dev.switchboard.auth;

import java.net.URI;

/**
 * The secrets of one flow that the provider adapter needs on both legs, kept in the flow's database
 * row in between.
 *
 * @param state the random {@code state} parameter (only its hash is stored)
 * @param codeVerifier the PKCE verifier; the provider receives its S256 challenge on the first leg,
 *     the verifier itself on the code exchange
 * @param nonce the raw nonce; OpenID Connect providers receive its hash and must echo it in the id
 *     token
 * @param redirectUri our callback, {@code <SWITCHBOARD_PUBLIC_URL>/api/auth/callback/{provider}}
 */
public record OAuthRequest(String state, String codeVerifier, String nonce, URI redirectUri) {

  @Override
  public String toString() {
    return "OAuthRequest[redirectUri=" + redirectUri + "]";
  }
}
