package dev.switchboard.platform.jobs;

import dev.switchboard.platform.outbound.OutboundException;
import java.util.regex.Pattern;

/**
 * Turns a failure into the short {@code last_error} text. Exception messages from libraries can
 * quote URLs with credentials in the user info or query string, so those parts are cut, and the
 * text is bounded.
 */
final class ErrorSummary {

  static final int MAX_LENGTH = 300;

  private static final Pattern USER_INFO =
      Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)[^/\\s@]*@");
  private static final Pattern QUERY =
      Pattern.compile("(?i)(\\b[a-z][a-z0-9+.-]*://[^\\s?#]*)[?#]\\S*");
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  private ErrorSummary() {}

  static String of(Throwable error) {
    String message = error.getMessage() == null ? "" : error.getMessage();
    String text =
        error instanceof JobFailure || error instanceof OutboundException
            ? message
            : error.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
    return clean(text);
  }

  static String clean(String text) {
    String cleaned = USER_INFO.matcher(text).replaceAll("$1****@");
    cleaned = QUERY.matcher(cleaned).replaceAll("$1?…");
    cleaned = WHITESPACE.matcher(cleaned).replaceAll(" ").trim();
    return cleaned.length() <= MAX_LENGTH ? cleaned : cleaned.substring(0, MAX_LENGTH - 1) + "…";
  }
}
