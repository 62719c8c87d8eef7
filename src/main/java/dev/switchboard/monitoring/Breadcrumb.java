package dev.switchboard.monitoring;

import java.time.Instant;
import java.util.Map;

/**
 * One step recorded before an error, such as an outbound call to a provider.
 *
 * @param timestamp when it happened
 * @param category a dotted category, e.g. {@code http.stripe}
 * @param message a short line, already scrubbed of secrets
 * @param data a few extra values, already scrubbed of secrets
 */
public record Breadcrumb(
    Instant timestamp, String category, String message, Map<String, String> data) {

  public Breadcrumb {
    data = Map.copyOf(data);
  }
}
