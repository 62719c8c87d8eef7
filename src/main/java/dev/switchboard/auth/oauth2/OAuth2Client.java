package dev.switchboard.auth.oauth2;

import com.nimbusds.jose.KeySourceException;
import dev.switchboard.auth.AuthException;
import dev.switchboard.auth.OAuthRequest;
import dev.switchboard.auth.Pkce;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.convert.converter.Converter;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.http.converter.FormHttpMessageConverter;
import org.springframework.security.oauth2.client.endpoint.OAuth2AuthorizationCodeGrantRequest;
import org.springframework.security.oauth2.client.endpoint.RestClientAuthorizationCodeTokenResponseClient;
import org.springframework.security.oauth2.client.http.OAuth2ErrorResponseErrorHandler;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthorizationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.endpoint.DefaultMapOAuth2AccessTokenResponseConverter;
import org.springframework.security.oauth2.core.endpoint.OAuth2AccessTokenResponse;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationExchange;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationResponse;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.core.endpoint.PkceParameterNames;
import org.springframework.security.oauth2.core.http.converter.OAuth2AccessTokenResponseHttpMessageConverter;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.util.function.SingletonSupplier;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestOperations;
import org.springframework.web.client.RestTemplate;

/**
 * One OAuth client for one registration: the authorization URL (state, PKCE S256, nonce) and the
 * code exchange through Spring Security's {@link RestClientAuthorizationCodeTokenResponseClient},
 * every call with a timeout.
 */
public final class OAuth2Client {

  private static final Logger LOG = LoggerFactory.getLogger(OAuth2Client.class);
  public static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final Set<String> ID_TOKEN_ERRORS = Set.of("invalid_nonce", "invalid_id_token");

  /**
   * Built at the first exchange, not at start: Spring's token client builds a default HTTP client
   * in its constructor (replaced at once by ours), and the dev identity provider stands in for two
   * providers at every development start whether anyone signs in or not.
   */
  private final SingletonSupplier<RestClientAuthorizationCodeTokenResponseClient> tokens;

  /**
   * A client whose token endpoint answers as RFC 6749 says: errors with a 400 and an {@code error}
   * member.
   */
  public OAuth2Client() {
    this(Function.identity());
  }

  /** An RFC 6749 client whose calls give up after {@code timeout} (tests use a short one). */
  public OAuth2Client(Duration timeout) {
    this(Function.identity(), timeout);
  }

  /**
   * A client whose token endpoint may answer an error with a 200 (GitHub): {@code errorCode} maps
   * the provider's error code to the OAuth one ({@code bad_verification_code} → {@code
   * invalid_grant}).
   */
  public OAuth2Client(Function<String, String> errorCode) {
    this(errorCode, TIMEOUT);
  }

  private OAuth2Client(Function<String, String> errorCode, Duration timeout) {
    this.tokens = SingletonSupplier.of(() -> tokenClient(errorCode, timeout));
  }

  private static RestClientAuthorizationCodeTokenResponseClient tokenClient(
      Function<String, String> errorCode, Duration timeout) {
    OAuth2AccessTokenResponseHttpMessageConverter converter =
        new OAuth2AccessTokenResponseHttpMessageConverter();
    Converter<Map<String, Object>, OAuth2AccessTokenResponse> standard =
        new DefaultMapOAuth2AccessTokenResponseConverter();
    converter.setAccessTokenResponseConverter(
        parameters -> {
          Object error = parameters.get("error");
          if (error != null) {
            throw new OAuth2AuthorizationException(
                new OAuth2Error(errorCode.apply(String.valueOf(error))));
          }
          return standard.convert(parameters);
        });
    RestClientAuthorizationCodeTokenResponseClient tokens =
        new RestClientAuthorizationCodeTokenResponseClient();
    tokens.setRestClient(
        RestClient.builder()
            .requestFactory(requestFactory(timeout))
            .messageConverters(
                list -> {
                  list.clear();
                  list.add(new FormHttpMessageConverter());
                  list.add(converter);
                })
            .defaultStatusHandler(new OAuth2ErrorResponseErrorHandler())
            .build());
    return tokens;
  }

  /**
   * A RestClient for a provider's JSON API (GitHub's {@code /user}, the dev userinfo), with the
   * same timeouts.
   */
  public static RestClient.Builder apiClient() {
    return apiClient(TIMEOUT);
  }

  /** {@link #apiClient()} with another timeout. */
  public static RestClient.Builder apiClient(Duration timeout) {
    return RestClient.builder().requestFactory(requestFactory(timeout));
  }

  /**
   * For the Spring and Nimbus parts that take a {@link RestOperations} (the id token decoder's JWKS
   * fetch), which otherwise use Nimbus' 500 ms connect and read timeouts: short enough that a JWKS
   * answer slower than half a second failed the sign-in, and unlike every other provider call.
   */
  public static RestOperations restOperations(Duration timeout) {
    return new RestTemplate(requestFactory(timeout));
  }

  private static JdkClientHttpRequestFactory requestFactory(Duration timeout) {
    JdkClientHttpRequestFactory factory =
        new JdkClientHttpRequestFactory(
            HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                // No h2c upgrade: on plain http some servers (Tomcat among them) stall a GET that
                // offers it.
                .version(HttpClient.Version.HTTP_1_1)
                .build());
    factory.setReadTimeout(timeout);
    return factory;
  }

  /**
   * The authorization request for this flow: S256 challenge of the verifier, and for OIDC the
   * nonce's hash.
   */
  public static OAuth2AuthorizationRequest authorizationRequest(
      ClientRegistration registration, OAuthRequest request) {
    boolean oidc = registration.getScopes().contains("openid");
    Map<String, Object> parameters = new HashMap<>();
    parameters.put(PkceParameterNames.CODE_CHALLENGE, Pkce.s256(request.codeVerifier()));
    parameters.put(PkceParameterNames.CODE_CHALLENGE_METHOD, "S256");
    Map<String, Object> attributes = new HashMap<>();
    attributes.put(PkceParameterNames.CODE_VERIFIER, request.codeVerifier());
    attributes.put(OAuth2ParameterNames.REGISTRATION_ID, registration.getRegistrationId());
    if (oidc) {
      // Spring's OIDC provider compares the id token's nonce with the SHA-256 of this attribute.
      parameters.put(OidcParameterNames.NONCE, Pkce.s256(request.nonce()));
      attributes.put(OidcParameterNames.NONCE, request.nonce());
    }
    return OAuth2AuthorizationRequest.authorizationCode()
        .authorizationUri(registration.getProviderDetails().getAuthorizationUri())
        .clientId(registration.getClientId())
        .redirectUri(request.redirectUri().toString())
        .scopes(registration.getScopes())
        .state(request.state())
        .additionalParameters(parameters)
        .attributes(attributes)
        .build();
  }

  /**
   * The request and the provider's answer to it, as Spring's authentication providers take them.
   */
  public static OAuth2AuthorizationExchange exchange(
      ClientRegistration registration, OAuthRequest request, String code) {
    return new OAuth2AuthorizationExchange(
        authorizationRequest(registration, request),
        OAuth2AuthorizationResponse.success(code)
            .redirectUri(request.redirectUri().toString())
            .state(request.state())
            .build());
  }

  /** The token client, for Spring's authentication providers (OIDC). */
  public RestClientAuthorizationCodeTokenResponseClient tokenClient() {
    return tokens.obtain();
  }

  /**
   * Exchanges the code at the token endpoint (with {@code code_verifier}).
   *
   * @throws AuthException see {@link #translate}
   */
  public OAuth2AccessTokenResponse token(
      ClientRegistration registration, OAuthRequest request, String code) {
    try {
      return tokens
          .obtain()
          .getTokenResponse(
              new OAuth2AuthorizationCodeGrantRequest(
                  registration, exchange(registration, request, code)));
    } catch (RuntimeException e) {
      throw translate(e);
    }
  }

  /**
   * The area's code for a failed exchange: {@code invalid_grant} (400) when the provider refused
   * the code, {@code invalid_id_token} (400) when the id token failed validation, {@code
   * provider_unavailable} (502) for the rest (unreachable, 5xx, unreadable answer, refused client
   * credentials).
   */
  public static AuthException translate(RuntimeException e) {
    if (unreachable(e)) {
      // Checked first: Spring reports a JWKS that could not be fetched as an invalid id token,
      // which it is not.
      LOG.warn("OAuth exchange failed: provider unreachable ({})", e.getClass().getSimpleName());
      return new AuthException(
          502, "provider_unavailable", "The sign-in provider could not be reached; try again");
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      String code =
          t instanceof OAuth2AuthorizationException a
              ? a.getError().getErrorCode()
              : t instanceof OAuth2AuthenticationException a ? a.getError().getErrorCode() : null;
      if ("invalid_grant".equals(code)) {
        return new AuthException(
            400, "invalid_grant", "The provider refused the sign-in code (expired or used)");
      }
      if (code != null && ID_TOKEN_ERRORS.contains(code)) {
        return new AuthException(
            400, "invalid_id_token", "The provider's id token did not pass validation");
      }
      if (t.getCause() == t) {
        break;
      }
    }
    LOG.warn("OAuth exchange failed: {}", e.getClass().getSimpleName());
    return new AuthException(
        502, "provider_unavailable", "The sign-in provider could not be reached; try again");
  }

  /**
   * Whether a call to the provider failed on the network (refused, timed out) or its key set could
   * not be read.
   */
  private static boolean unreachable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof IOException
          || t instanceof ResourceAccessException
          || t instanceof KeySourceException) {
        return true;
      }
    }
    return false;
  }
}
