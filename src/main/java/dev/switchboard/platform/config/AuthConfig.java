package dev.switchboard.platform.config;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Sign-in providers; without a provider's client id, the dev identity provider stands in for it (development only).
 *
 * @param oauthProviders the OAuth providers offered ({@code AUTH_OAUTH_PROVIDERS}, default {@code google,github});
 *     {@code none} turns OAuth sign-in off
 */
public record AuthConfig(Optional<OAuthClientConfig> google, Optional<OAuthClientConfig> github,
    List<String> oauthProviders) {

  static final List<String> KNOWN_PROVIDERS = List.of("google", "github");

  static AuthConfig load(ConfigReader r, DeploymentMode mode) {
    Optional<OAuthClientConfig> google = OAuthClientConfig.load(r, "GOOGLE", "GOOGLE_ISSUER_URI", null);
    Optional<OAuthClientConfig> github = OAuthClientConfig.load(r, "GITHUB", "GITHUB_BASE_URL", "GITHUB_API_URL");
    List<String> providers = providers(r);
    if (mode == DeploymentMode.PRODUCTION) {
      refuseDevProvider(r, providers, "google", "GOOGLE", google);
      refuseDevProvider(r, providers, "github", "GITHUB", github);
    }
    return new AuthConfig(google, github, providers);
  }

  private static List<String> providers(ConfigReader r) {
    List<String> listed = r.list("AUTH_OAUTH_PROVIDERS").stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
    if (listed.isEmpty()) {
      return KNOWN_PROVIDERS;
    }
    if (listed.equals(List.of("none"))) {
      return List.of();
    }
    for (String p : listed) {
      if (!KNOWN_PROVIDERS.contains(p)) {
        r.problem("AUTH_OAUTH_PROVIDERS", "unknown provider '" + p + "'; expected google, github or none");
      }
    }
    return listed.stream().filter(KNOWN_PROVIDERS::contains).distinct().toList();
  }

  /** In production an offered provider without a client id would be served by the dev identity provider. */
  private static void refuseDevProvider(ConfigReader r, List<String> providers, String id, String prefix,
      Optional<OAuthClientConfig> client) {
    if (providers.contains(id) && client.isEmpty() && !r.isSet(prefix + "_CLIENT_ID")) {
      r.problem(prefix + "_CLIENT_ID", "the dev identity provider stands in for " + id + " sign-in when "
          + prefix + "_CLIENT_ID is not set, and it is refused in production; set " + prefix + "_CLIENT_ID and "
          + prefix + "_CLIENT_SECRET, or list only the providers you use in AUTH_OAUTH_PROVIDERS (or none)");
    }
  }
}
