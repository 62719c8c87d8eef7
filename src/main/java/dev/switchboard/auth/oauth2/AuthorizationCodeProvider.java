package dev.switchboard.auth.oauth2;

import dev.switchboard.auth.OAuthProvider;
import dev.switchboard.auth.OAuthRequest;
import java.net.URI;
import org.springframework.security.oauth2.client.registration.ClientRegistration;

/**
 * What every authorization code adapter shares: the consent URL is built from the provider's client
 * registration (with PKCE and, for OpenID Connect, a nonce). Each adapter states its registration,
 * the code exchange and the health probe.
 */
public abstract class AuthorizationCodeProvider implements OAuthProvider {

  /** The provider's endpoints, our client id and callback, and the scopes asked for. */
  protected abstract ClientRegistration registration();

  @Override
  public final URI authorizationUri(OAuthRequest request) {
    return URI.create(
        OAuth2Client.authorizationRequest(registration(), request).getAuthorizationRequestUri());
  }
}
