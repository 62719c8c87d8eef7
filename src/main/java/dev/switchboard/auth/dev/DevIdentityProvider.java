package dev.switchboard.auth.dev;

import dev.switchboard.auth.AuthException;
import dev.switchboard.auth.OAuthRequest;
import dev.switchboard.auth.ProviderProfile;
import dev.switchboard.auth.oauth2.AuthorizationCodeProvider;
import dev.switchboard.auth.oauth2.OAuth2Client;
import dev.switchboard.platform.integrations.HealthResult;
import java.net.URI;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.http.HttpHeaders;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.util.function.SingletonSupplier;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * The client side of the dev identity provider, standing in for {@code google} or {@code github}: a
 * plain OAuth 2.0 client (authorization code + PKCE, public client) of the endpoints {@link
 * DevIdentityRoutes} serves. The browser is sent to {@code SWITCHBOARD_PUBLIC_URL}; the token and
 * userinfo calls go to this instance's own port, so they work behind a proxy too.
 */
public final class DevIdentityProvider extends AuthorizationCodeProvider {

  public static final String SERVING = "dev";
  static final String CLIENT_ID = "switchboard-dev";

  private final String id;
  private final URI publicUrl;
  private final URI callback;
  private final Supplier<URI> localUrl;
  private final OAuth2Client client = new OAuth2Client();

  /** Its HTTP client (and selector thread) made at the first sign-in, as the token client's. */
  private final SingletonSupplier<RestClient> rest =
      SingletonSupplier.of(() -> OAuth2Client.apiClient().build());

  /**
   * @param id the provider it stands in for ({@code google}, {@code github})
   * @param localUrl this instance's own base URL, known once the server listens
   */
  public DevIdentityProvider(String id, URI publicUrl, URI callback, Supplier<URI> localUrl) {
    this.id = id;
    this.publicUrl = publicUrl;
    this.callback = callback;
    this.localUrl = localUrl;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String serving() {
    return SERVING;
  }

  @Override
  public ProviderProfile exchange(OAuthRequest request, String code) {
    String token = client.token(registration(), request, code).getAccessToken().getTokenValue();
    try {
      DevUser user =
          rest.obtain()
              .get()
              .uri(localUrl.get() + "/dev/oauth/" + id + "/userinfo")
              .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
              .retrieve()
              .body(DevUser.class);
      if (user == null || user.sub() == null) {
        throw new AuthException(
            502, "provider_unavailable", "The dev identity provider answered without a user");
      }
      return new ProviderProfile(
          id,
          user.sub(),
          Optional.ofNullable(user.email()),
          user.emailVerified(),
          Optional.ofNullable(user.name()));
    } catch (RestClientException e) {
      throw new AuthException(
          502, "provider_unavailable", "The dev identity provider could not be reached");
    }
  }

  @Override
  public HealthResult health() {
    return HealthResult.up(
        "embedded dev identity provider at " + publicUrl + "/dev/oauth/" + id + "/");
  }

  @Override
  protected ClientRegistration registration() {
    String base = "/dev/oauth/" + id;
    return ClientRegistration.withRegistrationId(id)
        .clientId(CLIENT_ID)
        .clientAuthenticationMethod(ClientAuthenticationMethod.NONE)
        .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
        .redirectUri(callback.toString())
        .scope("profile", "email")
        .authorizationUri(publicUrl + base + "/authorize")
        .tokenUri(localUrl.get() + base + "/token")
        .userInfoUri(localUrl.get() + base + "/userinfo")
        .userNameAttributeName("sub")
        .build();
  }

  /** What {@code /dev/oauth/{provider}/userinfo} answers, in OpenID Connect's claim names. */
  private record DevUser(
      String sub,
      String email,
      @com.fasterxml.jackson.annotation.JsonProperty("email_verified") boolean emailVerified,
      String name) {}
}
