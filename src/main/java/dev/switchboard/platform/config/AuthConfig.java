package dev.switchboard.platform.config;

import java.util.Optional;

/** Sign-in providers; without either, the dev identity provider stands in (development only). */
public record AuthConfig(Optional<OAuthClientConfig> google, Optional<OAuthClientConfig> github) {

  static AuthConfig load(ConfigReader r) {
    return new AuthConfig(
        OAuthClientConfig.load(r, "GOOGLE", "GOOGLE_ISSUER_URI", null),
        OAuthClientConfig.load(r, "GITHUB", "GITHUB_BASE_URL", "GITHUB_API_URL"));
  }
}
