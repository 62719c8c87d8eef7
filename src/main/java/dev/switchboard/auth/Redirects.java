package dev.switchboard.auth;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * Adds query parameters to an already checked redirect target, keeping its own query and fragment
 * as they are.
 */
final class Redirects {

  private Redirects() {}

  /** Parameters are added in name order, so the same inputs always give the same URL. */
  static URI withParams(String target, Map<String, String> params) {
    int hash = target.indexOf('#');
    String base = hash < 0 ? target : target.substring(0, hash);
    String fragment = hash < 0 ? "" : target.substring(hash);
    StringBuilder url = new StringBuilder(base);
    char separator = base.contains("?") ? '&' : '?';
    for (Map.Entry<String, String> p : new TreeMap<>(params).entrySet()) {
      url.append(separator).append(encode(p.getKey())).append('=').append(encode(p.getValue()));
      separator = '&';
    }
    return URI.create(url.append(fragment).toString());
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
