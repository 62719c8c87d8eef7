package dev.switchboard.auth;

import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.platform.integrations.ArchitectureSection;
import dev.switchboard.platform.integrations.Markdown;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Chapter 2 of the architecture document: Google, GitHub, and email + password sessions, from the
 * configuration.
 */
class AuthArchitectureSection implements ArchitectureSection {

  /** What GoogleOAuthProvider and GitHubOAuthProvider request; see docs/auth-providers.md. */
  static final List<String> GOOGLE_SCOPES = List.of("openid", "email", "profile");

  static final List<String> GITHUB_SCOPES = List.of("read:user", "user:email");

  private final SwitchboardConfig config;

  AuthArchitectureSection(SwitchboardConfig config) {
    this.config = config;
  }

  @Override
  public int order() {
    return 20;
  }

  @Override
  public String chapter() {
    return "Authentication Integrations";
  }

  @Override
  public List<Check> healthChecks() {
    List<Check> checks = new ArrayList<>();
    AuthConfig auth = config.area(AuthConfig.class);
    if (auth.oauthProviders().contains("google")) {
      checks.add(
          new Check(
              "auth.google",
              auth.google().isPresent()
                  ? "GET issuer /.well-known/openid-configuration"
                  : "dev identity provider (local)",
              OAuthConfiguration.HEALTH_INTERVAL));
    }
    if (auth.oauthProviders().contains("github")) {
      checks.add(
          new Check(
              "auth.github",
              auth.github().isPresent() ? "GET GitHub API root" : "dev identity provider (local)",
              OAuthConfiguration.HEALTH_INTERVAL));
    }
    return checks;
  }

  @Override
  public List<Part> parts(Context context) {
    AuthConfig auth = config.area(AuthConfig.class);
    return List.of(
        provider(
            "Google OAuth",
            "google",
            "GOOGLE",
            "Google OAuth 2.0 / OpenID Connect",
            GOOGLE_SCOPES,
            auth.google(),
            auth.google()
                .flatMap(OAuthClientConfig::baseUri)
                .map(u -> List.of("Issuer", u.toString()))),
        provider(
            "GitHub OAuth",
            "github",
            "GITHUB",
            "GitHub OAuth App",
            GITHUB_SCOPES,
            auth.github(),
            auth.github()
                .flatMap(OAuthClientConfig::baseUri)
                .map(u -> List.of("GitHub base URL", u.toString()))),
        sessions());
  }

  private Part provider(
      String title,
      String id,
      String prefix,
      String name,
      List<String> scopes,
      Optional<OAuthClientConfig> client,
      Optional<List<String>> endpoint) {
    boolean offered = config.area(AuthConfig.class).oauthProviders().contains(id);
    URI callback = URI.create(config.core().publicUrl() + "/api/auth/callback/" + id);
    String provider =
        !offered
            ? "Off (not in `AUTH_OAUTH_PROVIDERS`)"
            : client.isPresent()
                ? name
                : "Dev identity provider (stand-in until `" + prefix + "_CLIENT_ID` is set)";
    List<List<String>> rows =
        new ArrayList<>(
            List.of(
                List.of("Provider", provider),
                List.of("Mode", !offered ? "off" : client.isPresent() ? "live" : "dev"),
                List.of("Scopes", String.join(", ", scopes)),
                List.of("Callback URL", callback.toString()),
                List.of("Client ID", client.map(OAuthClientConfig::clientId).orElse("not set"))));
    endpoint.ifPresent(rows::add);
    String env =
        prefix
            + "_CLIENT_ID="
            + client.map(OAuthClientConfig::clientId).orElse("your_client_id")
            + "\n"
            + prefix
            + "_CLIENT_SECRET="
            + client.map(c -> c.clientSecret().masked()).orElse("your_client_secret");
    String body =
        "**Purpose:** Social login with "
            + title.replace(" OAuth", "")
            + " accounts\n\n"
            + "**Configuration:**\n"
            + Markdown.settings(rows)
            + "\n"
            + "**Environment Variables:**\n"
            + Markdown.code("bash", env)
            + "\n"
            + "Register the callback URL above in the provider's console.\n\n"
            + "**Data Flow:**\n"
            + "1. The app sends the browser to `"
            + config.core().publicUrl()
            + "/api/auth/login/"
            + id
            + "?redirect_to=…` (an origin in `SWITCHBOARD_REDIRECT_ALLOWLIST`)\n"
            + "2. Switchboard redirects to the consent screen with state, PKCE"
            + (id.equals("google") ? " and nonce" : "")
            + "\n"
            + "3. The user authorizes; the provider redirects to the callback URL\n"
            + "4. Switchboard exchanges the code for tokens and fetches the profile\n"
            + "5. It creates or links the account (by email only when the provider verified it)\n"
            + "6. It redirects to `redirect_to` with a one-time code the app exchanges at `/api/auth/exchange` for a session\n\n"
            + "**Error Handling:**\n"
            + Markdown.table(
                List.of("Error", "Cause", "Resolution"),
                List.of(
                    List.of("access_denied", "User declined", "Show \"Permission required\""),
                    List.of(
                        "invalid_grant",
                        "Code expired or used",
                        "Switchboard restarts the flow once, then reports it"),
                    List.of(
                        "provider_unavailable",
                        "Provider down or credentials refused",
                        "Retry later; check the client secret"),
                    List.of(
                        "email_in_use",
                        "Unverified address of an existing account",
                        "Sign in, then link the provider")));
    return new Part(title, body);
  }

  private Part sessions() {
    AuthConfig auth = config.area(AuthConfig.class);
    List<String> allowlist = config.core().redirectAllowlist().stream().map(URI::toString).toList();
    String body =
        "**Purpose:** Sign-up and sign-in with email and password; sessions for every sign-in method\n\n"
            + "**Configuration:**\n"
            + Markdown.settings(
                List.of(
                    List.of(
                        "Endpoints",
                        "/api/auth/register, /login, /refresh, /logout, /me, /password-reset, /verify-email"),
                    List.of(
                        "Access token",
                        "ES256 JWT, 15 minutes; keys at "
                            + config.core().publicUrl()
                            + "/.well-known/jwks.json"),
                    List.of("Refresh token", "opaque, rotating; reuse revokes the family"),
                    List.of(
                        "Signing-key secret",
                        auth.keySecret()
                            .map(s -> "`SWITCHBOARD_AUTH_KEY_SECRET` " + s.masked())
                            .orElse(
                                "generated in "
                                    + config.core().dataDir().resolve("auth-key-secret")
                                    + " (one instance)")),
                    List.of("Sign-in rate limit", auth.signInRateLimit() + " per client address"),
                    List.of("Refresh rate limit", auth.refreshRateLimit() + " per client address"),
                    List.of(
                        "Redirect allowlist",
                        allowlist.isEmpty()
                            ? "none (set SWITCHBOARD_REDIRECT_ALLOWLIST)"
                            : String.join(", ", allowlist)),
                    List.of(
                        "Admin accounts",
                        config.core().adminEmails().isEmpty()
                            ? "none"
                            : String.join(", ", config.core().adminEmails()))));
    return new Part("Email and Password, Sessions", body);
  }
}
