package dev.switchboard.auth;

import dev.switchboard.auth.dev.DevIdentityProvider;
import dev.switchboard.auth.github.GitHubOAuthProvider;
import dev.switchboard.auth.google.GoogleOAuthProvider;
import dev.switchboard.platform.config.CoreConfig;
import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.platform.http.RedirectTargets;
import dev.switchboard.platform.integrations.HealthResult;
import dev.switchboard.platform.integrations.Integration;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/**
 * OAuth sign-in: picks each provider's adapter (the real one when its client id is set, the dev
 * identity provider otherwise, which production refuses at startup), and puts each on the
 * integration map.
 */
@Import({JdbcOAuthFlowStore.class, OAuthCleanup.class})
@Configuration(proxyBeanMethods = false)
public class OAuthConfiguration {

  static final Duration HEALTH_INTERVAL = Duration.ofMinutes(5);

  /** The one place a provider id becomes an adapter. */
  static OAuthProvider provider(
      String id, AuthConfig auth, CoreConfig core, Supplier<URI> localUrl) {
    URI callback = URI.create(core.publicUrl() + "/api/auth/callback/" + id);
    Optional<OAuthClientConfig> client = client(id, auth);
    if (client.isEmpty()) {
      return new DevIdentityProvider(id, core.publicUrl(), callback, localUrl);
    }
    return switch (id) {
      case GoogleOAuthProvider.ID -> new GoogleOAuthProvider(client.get(), callback);
      default -> new GitHubOAuthProvider(client.get(), callback);
    };
  }

  /** The provider's client settings, when its client id is set. */
  private static Optional<OAuthClientConfig> client(String id, AuthConfig auth) {
    return switch (id) {
      case GoogleOAuthProvider.ID -> auth.google();
      case GitHubOAuthProvider.ID -> auth.github();
      default -> throw new IllegalStateException("unknown OAuth provider '" + id + "'");
    };
  }

  @Bean
  OAuthProviders oauthProviders(SwitchboardConfig config, Environment environment) {
    // Known once the server listens; the dev provider's server-to-server calls go to this instance
    // directly.
    Supplier<URI> localUrl =
        () ->
            Optional.ofNullable(environment.getProperty("local.server.port"))
                .map(port -> URI.create("http://127.0.0.1:" + port))
                .orElse(config.core().publicUrl());
    List<OAuthProvider> providers = new ArrayList<>();
    for (String id : config.area(AuthConfig.class).oauthProviders()) {
      providers.add(provider(id, config.area(AuthConfig.class), config.core(), localUrl));
    }
    return new OAuthProviders(providers);
  }

  @Bean
  OAuthFlows oauthFlows(
      OAuthProviders providers,
      OAuthFlowStore store,
      ProviderSignIn signIn,
      SessionIssuer sessions,
      Accounts accounts,
      RedirectTargets targets,
      SwitchboardConfig config,
      Clock clock) {
    return new OAuthFlows(
        providers, store, signIn, sessions, accounts, targets, config.core().publicUrl(), clock);
  }

  @Bean
  Integration googleIntegration(OAuthProviders providers, SwitchboardConfig config) {
    return integration(GoogleOAuthProvider.ID, "GOOGLE_ISSUER_URI", null, providers, config);
  }

  @Bean
  Integration githubIntegration(OAuthProviders providers, SwitchboardConfig config) {
    return integration(
        GitHubOAuthProvider.ID, "GITHUB_BASE_URL", "GITHUB_API_URL", providers, config);
  }

  /** The provider's box: its variables are named after its id ({@code GOOGLE_CLIENT_ID}). */
  private static Integration integration(
      String id,
      String baseVar,
      String apiVar,
      OAuthProviders providers,
      SwitchboardConfig config) {
    String prefix = id.toUpperCase(Locale.ROOT);
    Optional<OAuthClientConfig> client = client(id, config.area(AuthConfig.class));
    Optional<OAuthProvider> provider =
        providers.all().stream().filter(p -> p.id().equals(id)).findFirst();
    Map<String, String> shown = new LinkedHashMap<>();
    shown.put("callback", config.core().publicUrl() + "/api/auth/callback/" + id);
    client.ifPresent(
        c -> {
          shown.put(prefix + "_CLIENT_ID", c.clientId());
          shown.put(prefix + "_CLIENT_SECRET", c.clientSecret().masked());
          c.baseUri().ifPresent(u -> shown.put(baseVar, u.toString()));
          c.apiUri().ifPresent(u -> shown.put(apiVar, u.toString()));
        });
    if (provider.isEmpty()) {
      shown.put("AUTH_OAUTH_PROVIDERS", "off");
      return new Integration(
          "auth." + id,
          "auth",
          "off",
          Integration.Mode.DEV,
          false,
          shown,
          Map.of(),
          () -> HealthResult.up("sign-in with " + id + " is off"),
          HEALTH_INTERVAL,
          Integration.DEFAULT_TIMEOUT);
    }
    OAuthProvider p = provider.get();
    boolean dev = client.isEmpty();
    return new Integration(
        "auth." + id,
        "auth",
        p.serving(),
        dev ? Integration.Mode.DEV : Integration.Mode.LIVE,
        !dev,
        shown,
        Map.of(
            "SWITCHBOARD_SIGN_IN_RATE_LIMIT",
            config.area(AuthConfig.class).signInRateLimit() + " per client"),
        p::health,
        HEALTH_INTERVAL,
        Integration.DEFAULT_TIMEOUT);
  }
}
