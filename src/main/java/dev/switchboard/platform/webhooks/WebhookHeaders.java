package dev.switchboard.platform.webhooks;

import dev.switchboard.platform.http.ApiException;
import dev.switchboard.platform.http.RequestBytes;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.AbstractMap;
import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The request's headers and raw body as {@link WebhookVerifier#verify} takes them. */
public final class WebhookHeaders {

  private WebhookHeaders() {}

  /**
   * Header names lower-cased, first value of each: a view of the request, valid while it is being
   * handled. A verifier reads two or five headers with {@code get}; that is one lookup in the
   * request each, where a copy of every header (names enumerated and lower-cased, a map filled)
   * cost more than the lookups. Anything else asked of the view is answered by such a copy.
   */
  public static Map<String, String> of(HttpServletRequest request) {
    return new View(request);
  }

  /** Every header, names lower-cased, first value of each. */
  static Map<String, String> copy(HttpServletRequest request) {
    Map<String, String> headers = new HashMap<>();
    for (String name : Collections.list(request.getHeaderNames())) {
      headers.putIfAbsent(name.toLowerCase(Locale.ROOT), request.getHeader(name));
    }
    return headers;
  }

  private static final class View extends AbstractMap<String, String> {
    private final HttpServletRequest request;
    private Map<String, String> copy;

    View(HttpServletRequest request) {
      this.request = request;
    }

    /**
     * The container looks names up ignoring ASCII case, first value first; a name the copy would
     * hold is lower-case ASCII, and only such a name is looked up directly.
     */
    @Override
    public String get(Object key) {
      return key instanceof String name && lowerAscii(name)
          ? request.getHeader(name)
          : copy().get(key);
    }

    @Override
    public boolean containsKey(Object key) {
      return get(key) != null;
    }

    @Override
    public Set<Entry<String, String>> entrySet() {
      return copy().entrySet();
    }

    private Map<String, String> copy() {
      if (copy == null) {
        copy = Collections.unmodifiableMap(WebhookHeaders.copy(request));
      }
      return copy;
    }

    private static boolean lowerAscii(String name) {
      for (int i = 0; i < name.length(); i++) {
        char c = name.charAt(i);
        if (c >= 0x80 || (c >= 'A' && c <= 'Z')) {
          return false;
        }
      }
      return true;
    }
  }

  /**
   * The raw body, straight from the request (through the body size limit): Spring's {@code byte[]}
   * argument reads the same bytes behind a message converter lookup, media type parsing and header
   * adapters, a tenth of a webhook request's CPU ({@code bench/profile.sh webhook}). No body is an
   * empty one.
   *
   * @throws ApiException 400 {@code malformed_json} when the body cannot be read
   */
  public static byte[] body(HttpServletRequest request) {
    try {
      return RequestBytes.read(request);
    } catch (IOException e) {
      throw new ApiException(400, "malformed_json", "The request body could not be read.");
    }
  }
}
