package dev.switchboard.platform.webhooks;

import dev.switchboard.platform.http.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** The request's headers and raw body as {@link WebhookVerifier#verify} takes them. */
public final class WebhookHeaders {

  private WebhookHeaders() {}

  /** Header names lower-cased, first value of each. */
  public static Map<String, String> of(HttpServletRequest request) {
    Map<String, String> headers = new HashMap<>();
    for (String name : Collections.list(request.getHeaderNames())) {
      headers.putIfAbsent(name.toLowerCase(Locale.ROOT), request.getHeader(name));
    }
    return headers;
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
      return request.getInputStream().readAllBytes();
    } catch (IOException e) {
      throw new ApiException(400, "malformed_json", "The request body could not be read.");
    }
  }
}
