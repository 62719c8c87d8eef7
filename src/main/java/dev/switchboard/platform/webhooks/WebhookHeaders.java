package dev.switchboard.platform.webhooks;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** The request headers as {@link WebhookVerifier#verify} takes them. */
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
}
