package dev.switchboard.platform.apikeys;

import dev.switchboard.platform.http.ApiException;
import dev.switchboard.platform.http.Caller;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * The scopes an API key can carry. {@code admin} grants every scope (see {@link Caller#has}). A new
 * area that needs its own scope adds it here, so an unknown scope is always an error that names the
 * allowed ones.
 */
public final class Scopes {

  public static final String EMAIL_SEND = "email:send";
  public static final String FILES_WRITE = "files:write";
  public static final String PAYMENTS_WRITE = "payments:write";
  public static final String ANALYTICS_READ = "analytics:read";
  public static final String ADMIN = Caller.ADMIN_SCOPE;

  /** Every scope, in the order they are stored and shown. */
  public static final List<String> ALL =
      List.of(EMAIL_SEND, FILES_WRITE, PAYMENTS_WRITE, ANALYTICS_READ, ADMIN);

  private Scopes() {}

  /**
   * Validates requested scopes and returns them without duplicates, in the order of {@link #ALL}.
   *
   * @throws ApiException 400 {@code validation_failed} on field {@code scopes} when the list is
   *     empty or a scope is unknown; the message names the allowed scopes
   */
  public static List<String> parse(Collection<String> requested) {
    if (requested == null || requested.isEmpty()) {
      throw ApiException.invalidField(
          "scopes", "scopes must list at least one of " + String.join(", ", ALL));
    }
    for (String scope : requested) {
      if (scope == null || !ALL.contains(scope)) {
        throw ApiException.invalidField(
            "scopes",
            "unknown scope '"
                + printable(scope)
                + "'; allowed scopes are "
                + String.join(", ", ALL));
      }
    }
    List<String> ordered = new ArrayList<>();
    for (String scope : ALL) {
      if (requested.contains(scope)) {
        ordered.add(scope);
      }
    }
    return List.copyOf(ordered);
  }

  /**
   * Parses a comma-separated list as typed on the command line ({@code email:send,files:write}).
   */
  public static List<String> parseCommaSeparated(String value) {
    List<String> parts =
        value == null
            ? List.of()
            : Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    return parse(parts);
  }

  /** Echoes user input safely in an error message: short, no control characters. */
  static String printable(String value) {
    if (value == null) {
      return "null";
    }
    String cleaned = value.replaceAll("\\p{Cntrl}", "?");
    return cleaned.length() > 40 ? cleaned.substring(0, 40) + "…" : cleaned;
  }
}
