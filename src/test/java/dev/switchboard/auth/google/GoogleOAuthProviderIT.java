package dev.switchboard.auth.google;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.switchboard.auth.AuthException;
import dev.switchboard.auth.OAuthClientConfig;
import dev.switchboard.auth.OAuthRequest;
import dev.switchboard.auth.Pkce;
import dev.switchboard.auth.ProviderProfile;
import dev.switchboard.platform.config.Secret;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * Google endpoints that accept the connection and never answer: discovery, or the JWKS while the id
 * token is checked. Sign-in must give up with {@code provider_unavailable} after the timeout
 * instead of holding the request forever. The JWKS cases tell our timeout from Nimbus' own 500 ms
 * one (which Spring's default decoder used): a JWKS slower than that but within ours succeeds, and
 * a silent one fails no sooner than ours.
 */
class GoogleOAuthProviderIT {

  static final Duration TIMEOUT = Duration.ofSeconds(2);

  /** Three times Nimbus' default JWKS read timeout, well within {@link #SLOW_TIMEOUT}. */
  static final Duration SLOW_JWKS = Duration.ofMillis(1500);

  static final Duration SLOW_TIMEOUT = Duration.ofSeconds(3);

  /** Generous for a loaded machine, far below "forever". */
  static final Duration BOUND = Duration.ofSeconds(15);

  static final URI CALLBACK = URI.create("http://localhost/api/auth/callback/google");

  final WireMockServer google = new WireMockServer(options().dynamicPort());
  final List<Socket> held = new CopyOnWriteArrayList<>();
  ServerSocket silent;

  @BeforeEach
  void start() throws IOException {
    google.start();
    silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread accept =
        new Thread(
            () -> {
              try {
                while (true) {
                  held.add(silent.accept());
                }
              } catch (IOException closed) {
                // the test is over
              }
            },
            "silent-server");
    accept.setDaemon(true);
    accept.start();
  }

  @AfterEach
  void stop() throws IOException {
    google.stop();
    silent.close();
    for (Socket s : held) {
      s.close();
    }
  }

  GoogleOAuthProvider provider(String issuer) {
    return provider(issuer, TIMEOUT);
  }

  GoogleOAuthProvider provider(String issuer, Duration timeout) {
    return new GoogleOAuthProvider(
        new OAuthClientConfig(
            "client-id",
            Secret.of("client-secret"),
            Optional.of(URI.create(issuer)),
            Optional.empty()),
        CALLBACK,
        timeout);
  }

  /**
   * Discovery naming {@code jwksUri}, and a token endpoint answering an id token signed with {@code
   * key}.
   */
  void stubGoogle(String issuer, String jwksUri, RSAKey key) throws Exception {
    google.stubFor(
        get(urlPathEqualTo("/.well-known/openid-configuration"))
            .willReturn(
                okJson(
                    json(
                        Map.of(
                            "issuer",
                            issuer,
                            "authorization_endpoint",
                            issuer + "/o/oauth2/v2/auth",
                            "token_endpoint",
                            issuer + "/token",
                            "jwks_uri",
                            jwksUri,
                            "response_types_supported",
                            List.of("code"),
                            "subject_types_supported",
                            List.of("public"),
                            "id_token_signing_alg_values_supported",
                            List.of("RS256"))))));
    google.stubFor(
        post(urlPathEqualTo("/token"))
            .willReturn(
                okJson(
                    json(
                        Map.of(
                            "access_token",
                            "ya29.token",
                            "token_type",
                            "Bearer",
                            "expires_in",
                            3600,
                            "scope",
                            "openid email profile",
                            "id_token",
                            idToken(issuer, key))))));
  }

  static OAuthRequest request() {
    return new OAuthRequest("state", Pkce.random(), "nonce", CALLBACK);
  }

  @Test
  void signInWhenDiscoveryNeverAnswersThenProviderUnavailableAfterTimeout() {
    GoogleOAuthProvider provider = provider("http://127.0.0.1:" + silent.getLocalPort());

    AuthException e =
        assertTimeoutPreemptively(
            BOUND,
            () ->
                catchThrowableOfType(
                    AuthException.class, () -> provider.authorizationUri(request())));

    assertThat(e.code()).isEqualTo("provider_unavailable");
    assertThat(e.status()).isEqualTo(502);
    assertThat(held).isNotEmpty();
  }

  @Test
  void exchangeWhenJwksNeverAnswersThenProviderUnavailableNoSoonerThanTheTimeout()
      throws Exception {
    String issuer = google.baseUrl();
    stubGoogle(issuer, "http://127.0.0.1:" + silent.getLocalPort() + "/oauth2/v3/certs", key());
    GoogleOAuthProvider provider = provider(issuer);

    long start = System.nanoTime();
    AuthException e =
        assertTimeoutPreemptively(
            BOUND,
            () ->
                catchThrowableOfType(
                    AuthException.class, () -> provider.exchange(request(), "code-1")));
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(e.code()).isEqualTo("provider_unavailable");
    assertThat(held).isNotEmpty();
    assertThat(took)
        .as("gave up after our timeout, not a shorter built-in one")
        .isGreaterThanOrEqualTo(TIMEOUT);
  }

  @Test
  void exchangeWhenJwksAnswersSlowerThanNimbusDefaultButWithinTimeoutThenSignsIn()
      throws Exception {
    String issuer = google.baseUrl();
    RSAKey key = key();
    stubGoogle(issuer, issuer + "/oauth2/v3/certs", key);
    google.stubFor(
        get(urlPathEqualTo("/oauth2/v3/certs"))
            .willReturn(
                okJson(new JWKSet(key.toPublicJWK()).toString())
                    .withFixedDelay((int) SLOW_JWKS.toMillis())));
    GoogleOAuthProvider provider = provider(issuer, SLOW_TIMEOUT);

    ProviderProfile profile =
        assertTimeoutPreemptively(BOUND, () -> provider.exchange(request(), "code-1"));

    assertThat(profile.subject()).isEqualTo("1234567890");
    assertThat(profile.email()).contains("g@example.com");
    assertThat(profile.emailVerified()).isTrue();
  }

  static String json(Map<String, Object> value) {
    return JsonMapper.builder().build().writeValueAsString(value);
  }

  static RSAKey key() throws Exception {
    return new RSAKeyGenerator(2048).keyID("google-key-1").generate();
  }

  static String idToken(String issuer, RSAKey key) throws Exception {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
            new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject("1234567890")
                .audience("client-id")
                .issueTime(new Date())
                .expirationTime(Date.from(Instant.now().plusSeconds(3600)))
                .claim("nonce", Pkce.s256("nonce"))
                .claim("email", "g@example.com")
                .claim("email_verified", true)
                .build());
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }
}
