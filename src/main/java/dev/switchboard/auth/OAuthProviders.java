package dev.switchboard.auth;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The sign-in providers this instance serves, by id; built once by {@code OAuthConfiguration}. */
public final class OAuthProviders {

  private final Map<String, OAuthProvider> byId = new LinkedHashMap<>();

  public OAuthProviders(List<OAuthProvider> providers) {
    providers.forEach(p -> byId.put(p.id(), p));
  }

  /**
   * The provider with this id.
   *
   * @throws AuthException 404 {@code unknown_provider} for an id that is not served here
   */
  public OAuthProvider get(String id) {
    OAuthProvider provider = id == null ? null : byId.get(id);
    if (provider == null) {
      throw new AuthException(404, "unknown_provider", "There is no sign-in provider with this id");
    }
    return provider;
  }

  public Collection<OAuthProvider> all() {
    return byId.values();
  }
}
