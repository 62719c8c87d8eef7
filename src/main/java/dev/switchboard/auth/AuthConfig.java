package dev.switchboard.auth;

import dev.switchboard.platform.config.ConfigArea;
import dev.switchboard.platform.config.ConfigFinding;
import dev.switchboard.platform.config.ConfigReader;
import dev.switchboard.platform.config.CoreConfig;
import dev.switchboard.platform.config.DeploymentMode;
import dev.switchboard.platform.config.IntegrationStatus;
import dev.switchboard.platform.config.ProductionSafety;
import dev.switchboard.platform.config.Rate;
import dev.switchboard.platform.config.Secret;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Sign-in providers; without a provider's client id, the dev identity provider stands in for it
 * (development only).
 *
 * @param keySecret seals the JWT signing keys stored in the database and keys refresh-token
 *     derivation; every instance sharing a database needs the same value. When unset, a random one
 *     is kept in the data directory.
 * @param signInRateLimit attempts per client address on login, register, exchange and password
 *     reset
 * @param refreshRateLimit refreshes per client address
 * @param oauthProviders the OAuth providers offered ({@code AUTH_OAUTH_PROVIDERS}, default {@code
 *     google,github}); {@code none} turns OAuth sign-in off
 * @param keyReload how often an instance re-reads the signing keys from the database ({@code
 *     SWITCHBOARD_AUTH_KEY_RELOAD_INTERVAL}, 1 s to 1 min, default 1 min): how long after a
 *     rotation on another instance it still signs with the retired key and serves the old JWKS
 * @param refreshReuseGrace how long after a rotation the rotated refresh token still answers the
 *     family's current pair instead of counting as reused ({@code SWITCHBOARD_REFRESH_REUSE_GRACE},
 *     1 s to 1 min, default 10 s)
 */
public record AuthConfig(
    Optional<OAuthClientConfig> google,
    Optional<OAuthClientConfig> github,
    Optional<Secret> keySecret,
    Rate signInRateLimit,
    Rate refreshRateLimit,
    List<String> oauthProviders,
    Duration keyReload,
    Duration refreshReuseGrace) {

  static final String DEFAULT_SIGN_IN_RATE = "20/min";
  static final String DEFAULT_REFRESH_RATE = "60/min";
  static final List<String> KNOWN_PROVIDERS = List.of("google", "github");

  /** Providers only, the sign-in settings at their defaults. */
  public AuthConfig(Optional<OAuthClientConfig> google, Optional<OAuthClientConfig> github) {
    this(
        google,
        github,
        Optional.empty(),
        Rate.parse(DEFAULT_SIGN_IN_RATE),
        Rate.parse(DEFAULT_REFRESH_RATE),
        KNOWN_PROVIDERS,
        SigningKeys.RELOAD,
        Sessions.REUSE_GRACE);
  }

  public static AuthConfig load(ConfigReader r, DeploymentMode mode) {
    Optional<OAuthClientConfig> google =
        OAuthClientConfig.load(r, "GOOGLE", "GOOGLE_ISSUER_URI", null);
    Optional<OAuthClientConfig> github =
        OAuthClientConfig.load(r, "GITHUB", "GITHUB_BASE_URL", "GITHUB_API_URL");
    List<String> providers = providers(r);
    if (mode == DeploymentMode.PRODUCTION) {
      refuseDevProvider(r, providers, "google", "GOOGLE", google);
      refuseDevProvider(r, providers, "github", "GITHUB", github);
    }
    return new AuthConfig(
        google,
        github,
        r.secret("SWITCHBOARD_AUTH_KEY_SECRET", 32),
        r.rate("SWITCHBOARD_SIGN_IN_RATE_LIMIT", DEFAULT_SIGN_IN_RATE),
        r.rate("SWITCHBOARD_REFRESH_RATE_LIMIT", DEFAULT_REFRESH_RATE),
        providers,
        keyReload(r),
        reuseGrace(r));
  }

  /**
   * At most a minute: a retired key leaves the JWKS one minute ({@link SigningKeys#SKEW}) after the
   * last token it signed expires, so an instance must learn of a rotation within that minute; a
   * token it signs with the retired key later would outlive the key's place in the JWKS.
   */
  private static Duration keyReload(ConfigReader r) {
    return r.duration(
        "SWITCHBOARD_AUTH_KEY_RELOAD_INTERVAL",
        "1m",
        "1s",
        "1m",
        "an instance signs with a rotated-out key until it reloads,"
            + " and that key leaves the JWKS one minute after its last token expires");
  }

  /**
   * Long enough for two tabs or a retried request to present the same token; short, because within
   * it a stolen rotated token is answered instead of revoking its family.
   */
  private static Duration reuseGrace(ConfigReader r) {
    return r.duration(
        "SWITCHBOARD_REFRESH_REUSE_GRACE",
        "10s",
        "1s",
        "1m",
        "within it a rotated refresh token is answered instead of revoking its session");
  }

  private static List<String> providers(ConfigReader r) {
    List<String> listed =
        r.list("AUTH_OAUTH_PROVIDERS").stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
    if (listed.isEmpty()) {
      return KNOWN_PROVIDERS;
    }
    if (listed.equals(List.of("none"))) {
      return List.of();
    }
    for (String p : listed) {
      if (!KNOWN_PROVIDERS.contains(p)) {
        r.problem(
            "AUTH_OAUTH_PROVIDERS",
            "unknown provider '" + p + "'; expected google, github or none");
      }
    }
    return listed.stream().filter(KNOWN_PROVIDERS::contains).distinct().toList();
  }

  /**
   * In production an offered provider without a client id would be served by the dev identity
   * provider.
   */
  private static void refuseDevProvider(
      ConfigReader r,
      List<String> providers,
      String id,
      String prefix,
      Optional<OAuthClientConfig> client) {
    if (providers.contains(id) && client.isEmpty() && !r.isSet(prefix + "_CLIENT_ID")) {
      r.problem(
          prefix + "_CLIENT_ID",
          "the dev identity provider stands in for "
              + id
              + " sign-in when "
              + prefix
              + "_CLIENT_ID is not set, and it is refused in production; set "
              + prefix
              + "_CLIENT_ID and "
              + prefix
              + "_CLIENT_SECRET, or list only the providers you use in AUTH_OAUTH_PROVIDERS (or none)");
    }
  }

  /** Registers the auth area with the platform's configuration reader. */
  public static final class Area implements ConfigArea<AuthConfig> {

    @Override
    public Class<AuthConfig> type() {
      return AuthConfig.class;
    }

    @Override
    public List<String> variables() {
      return List.of(
          "GOOGLE_CLIENT_ID",
          "GOOGLE_CLIENT_SECRET",
          "GOOGLE_ISSUER_URI",
          "GITHUB_CLIENT_ID",
          "GITHUB_CLIENT_SECRET",
          "GITHUB_BASE_URL",
          "GITHUB_API_URL",
          "SWITCHBOARD_AUTH_KEY_SECRET",
          "SWITCHBOARD_SIGN_IN_RATE_LIMIT",
          "SWITCHBOARD_REFRESH_RATE_LIMIT",
          "SWITCHBOARD_AUTH_KEY_RELOAD_INTERVAL",
          "SWITCHBOARD_REFRESH_REUSE_GRACE",
          "AUTH_OAUTH_PROVIDERS");
    }

    @Override
    public List<String> prefixes() {
      return List.of("GOOGLE_", "GITHUB_", "AUTH_");
    }

    @Override
    public AuthConfig load(ConfigReader reader, CoreConfig core) {
      return AuthConfig.load(reader, core.mode());
    }

    @Override
    public List<ConfigFinding> findings(AuthConfig config, CoreConfig core) {
      List<ConfigFinding> out = new ArrayList<>();
      config
          .keySecret()
          .flatMap(k -> ProductionSafety.weakness(k.reveal()))
          .ifPresent(
              why ->
                  out.add(
                      ProductionSafety.refused(
                          "SWITCHBOARD_AUTH_KEY_SECRET",
                          "the secret " + why + "; generate one with `openssl rand -base64 32`")));
      if (config.keySecret().isEmpty()) {
        out.add(
            new ConfigFinding(
                ConfigFinding.Kind.EMBEDDED,
                "SWITCHBOARD_AUTH_KEY_SECRET",
                "generated once in "
                    + core.dataDir().resolve("auth-key-secret")
                    + "; every instance sharing a database needs the same value, "
                    + "so set it before adding a second instance"));
      }
      return out;
    }

    @Override
    public List<IntegrationStatus> integrations(AuthConfig config, CoreConfig core) {
      return List.of(
          oauth(config, "google", "GOOGLE", config.google()),
          oauth(config, "github", "GITHUB", config.github()));
    }

    private static IntegrationStatus oauth(
        AuthConfig config, String id, String prefix, Optional<OAuthClientConfig> client) {
      String integration = "auth." + id;
      if (!config.oauthProviders().contains(id)) {
        return new IntegrationStatus(
            integration, "off", "off", "AUTH_OAUTH_PROVIDERS including " + id);
      }
      return client.isPresent()
          ? new IntegrationStatus(integration, id, "live", "")
          : new IntegrationStatus(
              integration,
              "dev identity provider",
              "dev",
              prefix + "_CLIENT_ID + " + prefix + "_CLIENT_SECRET");
    }
  }
}
