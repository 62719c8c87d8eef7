package dev.switchboard.analytics;

import dev.switchboard.platform.http.ApiException;
import java.util.Map;

/** An analytics request refused as a whole: invalid JSON, oversize body, unknown write key. */
public class AnalyticsException extends ApiException {

  public AnalyticsException(int status, String code, String message) {
    super(status, code, message, false, null, Map.of());
  }

  public AnalyticsException(int status, String code, String message, Map<String, String> headers) {
    super(status, code, message, false, null, headers);
  }

  static AnalyticsException invalidWriteKey() {
    return new AnalyticsException(
        401,
        "invalid_write_key",
        "Unknown or missing write key; send it as the Basic username with an empty password, or as writeKey.",
        Map.of("WWW-Authenticate", "Basic realm=\"analytics\""));
  }
}
