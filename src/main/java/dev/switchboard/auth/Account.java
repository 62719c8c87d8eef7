package dev.switchboard.auth;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * A person who signs in, as other areas see it.
 *
 * @param id stable id ({@code usr_…}); also the {@link dev.switchboard.platform.http.Caller#id()}
 *     of their requests
 * @param email lower-cased address; unique across accounts
 * @param emailVerified whether the address was proven (link clicked, or vouched for by
 *     Google/GitHub)
 * @param name display name, if known
 * @param roles {@code admin} for addresses listed in {@code SWITCHBOARD_ADMIN_EMAILS}
 */
public record Account(
    String id,
    String email,
    boolean emailVerified,
    Optional<String> name,
    Set<String> roles,
    Instant createdAt) {

  public Account {
    roles = Set.copyOf(roles);
  }
}
