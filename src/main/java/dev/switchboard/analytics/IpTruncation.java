package dev.switchboard.analytics;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Cuts a client address to its network before it is stored: IPv4 to /24 ({@code 203.0.113.0}), IPv6
 * to /48 ({@code 2001:db8:85a3::}). Enough for coarse location and abuse analysis, not enough to
 * single out a household.
 */
final class IpTruncation {

  private static final Pattern IPV4 =
      Pattern.compile("^(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})$");
  private static final Pattern IPV6_CHARS = Pattern.compile("^[0-9A-Fa-f:.]{2,45}$");

  private IpTruncation() {}

  /**
   * The truncated address, or empty when {@code raw} is not an IP literal (never resolved through
   * DNS).
   */
  static Optional<String> truncate(String raw) {
    if (raw == null) {
      return Optional.empty();
    }
    String value = raw.strip();
    if (value.startsWith("[") && value.endsWith("]")) {
      value = value.substring(1, value.length() - 1);
    }
    String quick = dottedQuad(value);
    if (quick != null) {
      return Optional.of(quick);
    }
    var v4 = IPV4.matcher(value);
    if (v4.matches()) {
      for (int i = 1; i <= 4; i++) {
        if (Integer.parseInt(v4.group(i)) > 255) {
          return Optional.empty();
        }
      }
      return Optional.of(
          Integer.parseInt(v4.group(1))
              + "."
              + Integer.parseInt(v4.group(2))
              + "."
              + Integer.parseInt(v4.group(3))
              + ".0");
    }
    // Only strings made of hex digits, colons and dots reach InetAddress, which parses them as
    // literals.
    if (!value.contains(":") || !IPV6_CHARS.matcher(value).matches()) {
      return Optional.empty();
    }
    try {
      byte[] bytes = InetAddress.getByName(value).getAddress();
      if (bytes.length == 4) {
        return Optional.of(
            (bytes[0] & 0xff) + "." + (bytes[1] & 0xff) + "." + (bytes[2] & 0xff) + ".0");
      }
      return Optional.of(
          String.format(
              "%x:%x:%x::",
              ((bytes[0] & 0xff) << 8) | (bytes[1] & 0xff),
              ((bytes[2] & 0xff) << 8) | (bytes[3] & 0xff),
              ((bytes[4] & 0xff) << 8) | (bytes[5] & 0xff)));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  /**
   * The /24 of a plain dotted quad ({@code 1-3 digits}, four times, each at most 255), as the
   * pattern below reads it, without a regular expression: every event without its own {@code
   * context.ip} comes here with the client address. Null for anything else, which the pattern then
   * decides.
   */
  private static String dottedQuad(String value) {
    int n = value.length();
    int[] parts = new int[4];
    int part = 0;
    int digits = 0;
    int number = 0;
    for (int i = 0; i <= n; i++) {
      char c = i < n ? value.charAt(i) : '.';
      if (c >= '0' && c <= '9') {
        if (++digits > 3) {
          return null;
        }
        number = number * 10 + (c - '0');
      } else if (c == '.' && digits > 0 && part < 4 && number <= 255) {
        parts[part++] = number;
        digits = 0;
        number = 0;
      } else {
        return null;
      }
    }
    if (part != 4) {
      return null;
    }
    return parts[0] + "." + parts[1] + "." + parts[2] + ".0";
  }
}
