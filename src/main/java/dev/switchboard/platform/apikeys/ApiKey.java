package dev.switchboard.platform.apikeys;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A stored API key as everyone but the authentication filter sees it: never the secret, never its
 * hash.
 *
 * @param id {@code key_…}
 * @param name what the operator called it
 * @param prefix {@code sk_} and the first random characters, to recognise a key in a list
 * @param scopes granted scopes, in the order of {@link Scopes#ALL}
 * @param createdAt when it was created
 * @param lastUsedAt when it last authenticated a request, to the minute; empty if never
 * @param revokedAt when it was revoked; empty while it is valid
 */
public record ApiKey(
    String id,
    String name,
    String prefix,
    List<String> scopes,
    Instant createdAt,
    Optional<Instant> lastUsedAt,
    Optional<Instant> revokedAt) {

  public ApiKey {
    scopes = List.copyOf(scopes);
  }

  public boolean revoked() {
    return revokedAt.isPresent();
  }
}
