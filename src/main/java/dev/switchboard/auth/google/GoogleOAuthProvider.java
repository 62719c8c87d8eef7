package dev.switchboard.auth.google;

import dev.switchboard.auth.AuthException;
import dev.switchboard.auth.OAuthClientConfig;
import dev.switchboard.auth.OAuthRequest;
import dev.switchboard.auth.ProviderProfile;
import dev.switchboard.auth.oauth2.AuthorizationCodeProvider;
import dev.switchboard.auth.oauth2.OAuth2Client;
import dev.switchboard.platform.integrations.HealthResult;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.security.oauth2.client.authentication.OAuth2LoginAuthenticationToken;
import org.springframework.security.oauth2.client.oidc.authentication.OidcAuthorizationCodeAuthenticationProvider;
import org.springframework.security.oauth2.client.oidc.authentication.OidcIdTokenDecoderFactory;
import org.springframework.security.oauth2.client.oidc.authentication.OidcIdTokenValidator;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestOperations;

/**
 * Google sign-in with OpenID Connect
 * (https://developers.google.com/identity/openid-connect/openid-connect): the endpoints come from
 * the discovery document of {@code GOOGLE_ISSUER_URI} (default {@code
 * https://accounts.google.com}), read on first use rather than at startup so a Google outage never
 * stops Switchboard from starting. The id token is validated by Spring Security (signature against
 * the JWKS, issuer, audience, expiry, nonce); its {@code email} is vouched for only when {@code
 * email_verified} is true.
 *
 * <p>Every call to Google (discovery, token, JWKS) goes through our clients with {@link
 * OAuth2Client#TIMEOUT}: Spring's {@code ClientRegistrations} builds a client without any timeout,
 * so a discovery endpoint that accepted the connection and never answered held the sign-in request
 * forever; Spring's default id token decoder uses Nimbus's own short timeouts and is rebuilt for
 * every sign-in, so its JWKS cache never outlived one.
 */
public final class GoogleOAuthProvider extends AuthorizationCodeProvider {

  public static final String ID = "google";
  public static final URI DEFAULT_ISSUER = URI.create("https://accounts.google.com");

  private final OAuthClientConfig config;
  private final URI callback;
  private final URI issuer;
  private final OAuth2Client client;
  private final OidcAuthorizationCodeAuthenticationProvider oidc;
  private final RestClient discovery;
  private final RestOperations jwks;

  /** One decoder per key set URL, so its JWKS cache lives across sign-ins. */
  private final Map<String, JwtDecoder> decoders = new ConcurrentHashMap<>();

  private volatile ClientRegistration registration;

  /**
   * @param callback our callback URL, {@code <SWITCHBOARD_PUBLIC_URL>/api/auth/callback/google}
   */
  public GoogleOAuthProvider(OAuthClientConfig config, URI callback) {
    this(config, callback, OAuth2Client.TIMEOUT);
  }

  GoogleOAuthProvider(OAuthClientConfig config, URI callback, Duration timeout) {
    this.config = config;
    this.callback = callback;
    this.issuer = config.baseUri().orElse(DEFAULT_ISSUER);
    this.client = new OAuth2Client(timeout);
    this.discovery = OAuth2Client.apiClient(timeout).build();
    this.jwks = OAuth2Client.restOperations(timeout);
    OidcUserService users = new OidcUserService();
    // Everything needed is in the validated id token; skipping userinfo saves a round trip per
    // sign-in.
    users.setRetrieveUserInfo(request -> false);
    this.oidc = new OidcAuthorizationCodeAuthenticationProvider(client.tokenClient(), users);
    oidc.setJwtDecoderFactory(
        reg ->
            decoders.computeIfAbsent(reg.getProviderDetails().getJwkSetUri(), uri -> decoder(reg)));
  }

  /**
   * What Spring's {@code OidcIdTokenDecoderFactory} builds for RS256, with our client for the JWKS
   * fetch.
   */
  private JwtDecoder decoder(ClientRegistration reg) {
    NimbusJwtDecoder decoder =
        NimbusJwtDecoder.withJwkSetUri(reg.getProviderDetails().getJwkSetUri())
            .jwsAlgorithm(SignatureAlgorithm.RS256)
            .restOperations(jwks)
            .build();
    decoder.setJwtValidator(
        JwtValidators.createDefaultWithValidators(new OidcIdTokenValidator(reg)));
    decoder.setClaimSetConverter(OidcIdTokenDecoderFactory.createDefaultClaimTypeConverter());
    return decoder;
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public ProviderProfile exchange(OAuthRequest request, String code) {
    ClientRegistration reg = registration();
    OidcUser user;
    try {
      OAuth2LoginAuthenticationToken result =
          (OAuth2LoginAuthenticationToken)
              oidc.authenticate(
                  new OAuth2LoginAuthenticationToken(
                      reg, OAuth2Client.exchange(reg, request, code)));
      user = (OidcUser) result.getPrincipal();
    } catch (RuntimeException e) {
      throw OAuth2Client.translate(e);
    }
    OidcIdToken token = user.getIdToken();
    boolean verified = Boolean.TRUE.equals(token.getEmailVerified());
    return new ProviderProfile(
        ID,
        token.getSubject(),
        Optional.ofNullable(token.getEmail()),
        verified,
        Optional.ofNullable(token.getFullName()));
  }

  @Override
  public HealthResult health() {
    Map<?, ?> document =
        discovery
            .get()
            .uri(issuer + "/.well-known/openid-configuration")
            .retrieve()
            .body(Map.class);
    if (document == null || !issuer.toString().equals(document.get("issuer"))) {
      return HealthResult.down("discovery document does not name " + issuer + " as its issuer");
    }
    return HealthResult.up("OIDC discovery document read from " + issuer);
  }

  /** Read once from discovery; retried on the next sign-in if it failed. */
  @Override
  protected ClientRegistration registration() {
    ClientRegistration current = registration;
    if (current != null) {
      return current;
    }
    try {
      Map<String, Object> document =
          discovery
              .get()
              .uri(issuer + "/.well-known/openid-configuration")
              .retrieve()
              .body(new ParameterizedTypeReference<Map<String, Object>>() {});
      // The check ClientRegistrations.fromIssuerLocation made: a document for another issuer is not
      // Google's.
      if (document == null || !issuer.toString().equals(document.get("issuer"))) {
        throw new IllegalStateException(
            "the discovery document does not name " + issuer + " as its issuer");
      }
      current =
          ClientRegistrations.fromOidcConfiguration(document)
              .registrationId(ID)
              .clientId(config.clientId())
              .clientSecret(config.clientSecret().reveal())
              .redirectUri(callback.toString())
              .scope("openid", "email", "profile")
              .build();
    } catch (RuntimeException e) {
      throw new AuthException(
          502,
          "provider_unavailable",
          "Google's sign-in configuration could not be read; try again");
    }
    registration = current;
    return current;
  }
}
