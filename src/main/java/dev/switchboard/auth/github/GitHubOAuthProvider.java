package dev.switchboard.auth.github;

import dev.switchboard.auth.AuthException;
import dev.switchboard.auth.OAuthClientConfig;
import dev.switchboard.auth.OAuthRequest;
import dev.switchboard.auth.ProviderProfile;
import dev.switchboard.auth.oauth2.AuthorizationCodeProvider;
import dev.switchboard.auth.oauth2.OAuth2Client;
import dev.switchboard.platform.integrations.HealthResult;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.security.config.oauth2.client.CommonOAuth2Provider;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * GitHub sign-in with an OAuth app
 * (https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps):
 * authorize and token endpoints under {@code GITHUB_BASE_URL} (default {@code https://github.com}),
 * then {@code GET /user} and {@code GET /user/emails} under {@code GITHUB_API_URL} (default {@code
 * https://api.github.com}; GitHub Enterprise: {@code https://HOST/api/v3}). Only the primary
 * address, and only when GitHub marks it verified, is passed on; GitHub has no OpenID Connect, so
 * there is no id token or nonce.
 */
public final class GitHubOAuthProvider extends AuthorizationCodeProvider {

  public static final String ID = "github";
  public static final URI DEFAULT_BASE = URI.create("https://github.com");
  public static final URI DEFAULT_API = URI.create("https://api.github.com");

  private final ClientRegistration registration;
  private final URI api;
  // GitHub answers a used or expired code with a 200 and {"error":"bad_verification_code"}.
  private final OAuth2Client client =
      new OAuth2Client(code -> code.equals("bad_verification_code") ? "invalid_grant" : code);
  private final RestClient rest;

  /**
   * @param callback our callback URL, {@code <SWITCHBOARD_PUBLIC_URL>/api/auth/callback/github}
   */
  public GitHubOAuthProvider(OAuthClientConfig config, URI callback) {
    String base = trim(config.baseUri().orElse(DEFAULT_BASE));
    this.api = URI.create(trim(config.apiUri().orElse(DEFAULT_API)));
    this.registration =
        CommonOAuth2Provider.GITHUB
            .getBuilder(ID)
            .clientId(config.clientId())
            .clientSecret(config.clientSecret().reveal())
            // GitHub documents client_id and client_secret as form parameters of the token request.
            .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
            .redirectUri(callback.toString())
            .scope("read:user", "user:email")
            .authorizationUri(base + "/login/oauth/authorize")
            .tokenUri(base + "/login/oauth/access_token")
            .userInfoUri(api + "/user")
            .build();
    this.rest =
        OAuth2Client.apiClient()
            .defaultHeader(HttpHeaders.ACCEPT, "application/vnd.github+json")
            .defaultHeader("X-GitHub-Api-Version", "2022-11-28")
            .defaultHeader(HttpHeaders.USER_AGENT, "Switchboard")
            .build();
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  protected ClientRegistration registration() {
    return registration;
  }

  @Override
  public ProviderProfile exchange(OAuthRequest request, String code) {
    String token = client.token(registration, request, code).getAccessToken().getTokenValue();
    try {
      GitHubUser user =
          rest.get()
              .uri(api + "/user")
              .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
              .retrieve()
              .body(GitHubUser.class);
      List<GitHubEmail> emails =
          rest.get()
              .uri(api + "/user/emails")
              .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
              .retrieve()
              .body(new ParameterizedTypeReference<List<GitHubEmail>>() {});
      if (user == null || user.id() == null) {
        throw new AuthException(502, "provider_unavailable", "GitHub answered without a user id");
      }
      Optional<String> primaryVerified =
          emails == null
              ? Optional.empty()
              : emails.stream()
                  .filter(e -> e.primary() && e.verified() && e.email() != null)
                  .map(GitHubEmail::email)
                  .findFirst();
      Optional<String> name =
          Optional.ofNullable(user.name())
              .filter(n -> !n.isBlank())
              .or(() -> Optional.ofNullable(user.login()));
      return new ProviderProfile(
          ID, String.valueOf(user.id()), primaryVerified, primaryVerified.isPresent(), name);
    } catch (RestClientException e) {
      throw new AuthException(
          502, "provider_unavailable", "GitHub's API could not be reached; try again");
    }
  }

  @Override
  public HealthResult health() {
    rest.get().uri(api + "/").retrieve().toBodilessEntity();
    return HealthResult.up("GitHub API reachable at " + api);
  }

  private static String trim(URI uri) {
    return uri.toString().replaceAll("/+$", "");
  }

  /** {@code GET /user}: https://docs.github.com/en/rest/users/users#get-the-authenticated-user */
  private record GitHubUser(Long id, String login, String name) {}

  /**
   * {@code GET /user/emails}:
   * https://docs.github.com/en/rest/users/emails#list-email-addresses-for-the-authenticated-user
   */
  private record GitHubEmail(String email, boolean primary, boolean verified) {}
}
