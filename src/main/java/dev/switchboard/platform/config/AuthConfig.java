package dev.switchboard.platform.config;

import java.util.Optional;

/**
 * Sign-in providers; without either, the dev identity provider stands in (development only).
 *
 * @param keySecret seals the JWT signing keys stored in the database and keys refresh-token derivation; every
 *     instance sharing a database needs the same value. When unset, a random one is kept in the data directory.
 * @param signInRateLimit attempts per client address on login, register, exchange and password reset
 * @param refreshRateLimit refreshes per client address
 */
public record AuthConfig(Optional<OAuthClientConfig> google, Optional<OAuthClientConfig> github,
    Optional<Secret> keySecret, Rate signInRateLimit, Rate refreshRateLimit) {

  static final String DEFAULT_SIGN_IN_RATE = "20/min";
  static final String DEFAULT_REFRESH_RATE = "60/min";

  /** Providers only, the sign-in settings at their defaults. */
  public AuthConfig(Optional<OAuthClientConfig> google, Optional<OAuthClientConfig> github) {
    this(google, github, Optional.empty(), Rate.parse(DEFAULT_SIGN_IN_RATE), Rate.parse(DEFAULT_REFRESH_RATE));
  }

  static AuthConfig load(ConfigReader r) {
    return new AuthConfig(
        OAuthClientConfig.load(r, "GOOGLE", "GOOGLE_ISSUER_URI", null),
        OAuthClientConfig.load(r, "GITHUB", "GITHUB_BASE_URL", "GITHUB_API_URL"),
        r.secret("SWITCHBOARD_AUTH_KEY_SECRET", 32),
        r.rate("SWITCHBOARD_SIGN_IN_RATE_LIMIT", DEFAULT_SIGN_IN_RATE),
        r.rate("SWITCHBOARD_REFRESH_RATE_LIMIT", DEFAULT_REFRESH_RATE));
  }
}
