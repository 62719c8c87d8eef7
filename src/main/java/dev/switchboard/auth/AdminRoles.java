package dev.switchboard.auth;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The roles an account gets from configuration: {@code admin} when its address is in {@code
 * SWITCHBOARD_ADMIN_EMAILS} and proven. An unverified address never gets it, or anyone could
 * register an admin's address and be admin. The dashboard asks {@link #isAdmin} on every page
 * rather than reading {@code accounts.roles}, which is only brought up to date at sign-in and
 * refresh: a change of the list takes effect at once.
 */
public final class AdminRoles {

  static final String ADMIN = "admin";

  private final Set<String> adminEmails;

  AdminRoles(List<String> adminEmails) {
    this.adminEmails =
        adminEmails.stream()
            .map(e -> e.toLowerCase(Locale.ROOT))
            .collect(Collectors.toUnmodifiableSet());
  }

  Set<String> rolesFor(String email, boolean emailVerified) {
    return emailVerified && adminEmails.contains(email.toLowerCase(Locale.ROOT))
        ? Set.of(ADMIN)
        : Set.of();
  }

  /**
   * Whether the account is an admin under the configured list now, whatever roles were stored for
   * it.
   */
  public boolean isAdmin(Account account) {
    return rolesFor(account.email(), account.emailVerified()).contains(ADMIN);
  }
}
