package dev.switchboard.analytics;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * UTM parameters of a page URL as Segment's {@code context.campaign}: utm_campaign is {@code name}.
 */
final class Campaigns {

  private static final Map<String, String> FIELDS =
      Map.of(
          "utm_source",
          "source",
          "utm_medium",
          "medium",
          "utm_campaign",
          "name",
          "utm_term",
          "term",
          "utm_content",
          "content");

  private Campaigns() {}

  /**
   * Campaign fields found in the URL's query; empty when there are none or the URL does not parse.
   */
  static Map<String, String> fromUrl(String url) {
    Map<String, String> campaign = new LinkedHashMap<>();
    // Most page URLs carry no campaign: skip parsing them.
    if (url == null || url.length() > 4000 || !url.toLowerCase(Locale.ROOT).contains("utm_")) {
      return campaign;
    }
    String query = plainQuery(url);
    if (query == null) {
      try {
        query = URI.create(url.strip()).getRawQuery();
      } catch (IllegalArgumentException e) {
        int q = url.indexOf('?');
        query = q < 0 ? null : url.substring(q + 1).split("#", 2)[0];
      }
    }
    if (query == null) {
      return campaign;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        continue;
      }
      String field = FIELDS.get(pair.substring(0, eq).toLowerCase(Locale.ROOT));
      if (field != null && !campaign.containsKey(field)) {
        try {
          String value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
          if (!value.isEmpty()) {
            campaign.put(field, value.length() > 200 ? value.substring(0, 200) : value);
          }
        } catch (IllegalArgumentException ignored) {
          // A malformed escape leaves the field out rather than failing the event.
        }
      }
    }
    return campaign;
  }

  /**
   * The raw query of a URL that needs no parser to find it: nothing {@link String#strip} would
   * remove, not opaque ({@code scheme:} followed by a slash, or no scheme), and no {@code #} before
   * the {@code ?}. For these, {@code URI.create(url).getRawQuery()} (valid URL) and the fallback
   * for invalid ones are both the text between the first {@code ?} and the next {@code #}; building
   * a {@link URI} just to read it cost more than the rest of enrichment. Null for every other URL,
   * which is then parsed.
   */
  static String plainQuery(String url) {
    int n = url.length();
    if (n == 0
        || Character.isWhitespace(url.charAt(0))
        || Character.isWhitespace(url.charAt(n - 1))) {
      return null;
    }
    int q = url.indexOf('?');
    int hash = url.indexOf('#');
    if (q < 0 || (hash >= 0 && hash < q)) {
      return null;
    }
    if (isAsciiLetter(url.charAt(0))) {
      for (int i = 1; i < q; i++) {
        char c = url.charAt(i);
        if (c == ':') {
          // A scheme: hierarchical only when a slash follows.
          if (i + 1 >= n || url.charAt(i + 1) != '/') {
            return null;
          }
          break;
        }
        if (!isAsciiLetter(c) && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.') {
          break;
        }
      }
    }
    return url.substring(q + 1, hash < 0 ? n : hash);
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }
}
