package dev.switchboard.email;

import dev.switchboard.platform.http.ApiException;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Recipient checks: one bare address ({@code ann@example.com}, no display name, no list), at most
 * 254 characters, a dot-atom local part and a domain with at least one dot. Internationalised
 * letters are allowed.
 */
public final class EmailAddresses {

  public static final int MAX_LENGTH = 254;
  private static final String ATOM = "[\\p{L}\\p{N}!#$%&'*+/=?^_`{|}~-]+";
  private static final String LABEL = "[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]{0,61}[\\p{L}\\p{N}])?";
  private static final Pattern ADDRESS =
      Pattern.compile(
          "^(?=.{1,64}@)" + ATOM + "(?:\\." + ATOM + ")*@" + LABEL + "(?:\\." + LABEL + ")+$");

  private EmailAddresses() {}

  /**
   * Validates a recipient and returns it trimmed.
   *
   * @param field where it sits in the request, for the error
   * @throws ApiException 400 {@code invalid_recipient}
   */
  public static String recipient(String address, String field) {
    if (address == null || address.isBlank()) {
      throw invalid(field, "A recipient address is required.");
    }
    String trimmed = address.strip();
    if (trimmed.length() > MAX_LENGTH || !ADDRESS.matcher(trimmed).matches()) {
      throw invalid(
          field, "'" + EmailTemplate.printable(trimmed) + "' is not one valid email address.");
    }
    return trimmed;
  }

  /** The form used for suppression lookups: lower case. */
  public static String normalized(String address) {
    return address.strip().toLowerCase(Locale.ROOT);
  }

  private static ApiException invalid(String field, String message) {
    return new ApiException(400, "invalid_recipient", message, false, field, Map.of());
  }
}
