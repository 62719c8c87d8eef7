package dev.switchboard.auth;

import dev.switchboard.platform.config.ConfigReader;
import dev.switchboard.platform.config.Secret;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * One OAuth client registration read from {@code <PROVIDER>_CLIENT_ID}, {@code _CLIENT_SECRET} and
 * an optional endpoint override ({@code GOOGLE_ISSUER_URI}, {@code GITHUB_BASE_URL}/{@code
 * GITHUB_API_URL}).
 */
public record OAuthClientConfig(
    String clientId, Secret clientSecret, Optional<URI> baseUri, Optional<URI> apiUri) {

  public static Optional<OAuthClientConfig> load(
      ConfigReader r, String prefix, String baseVar, String apiVar) {
    r.companions(prefix + "_CLIENT_ID", prefix + "_CLIENT_SECRET");
    Optional<URI> base = r.url(baseVar, List.of("http", "https"));
    Optional<URI> api = apiVar == null ? Optional.empty() : r.url(apiVar, List.of("http", "https"));
    Optional<String> id = r.string(prefix + "_CLIENT_ID");
    Optional<Secret> secret = r.secret(prefix + "_CLIENT_SECRET");
    if (id.isEmpty() || secret.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new OAuthClientConfig(id.get(), secret.get(), base, api));
  }
}
