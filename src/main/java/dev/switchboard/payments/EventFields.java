package dev.switchboard.payments;

import java.time.Instant;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Reads provider JSON by path, tolerating absent fields: events come in whatever API version the
 * provider endpoint was created with, so fields move ({@code invoice.subscription} became {@code
 * invoice.parent.subscription_details .subscription}) and callers try each place. A field that is
 * required and absent is a {@link MalformedEvent}, never an empty object silently applied.
 */
public final class EventFields {

  private EventFields() {}

  public static JsonNode at(JsonNode node, String... path) {
    JsonNode current = node;
    for (String step : path) {
      current =
          step.matches("\\d+") && current.isArray()
              ? current.path(Integer.parseInt(step))
              : current.path(step);
    }
    return current;
  }

  /**
   * A non-blank string, or an expanded object's {@code id} (Stripe expands {@code customer} on
   * request).
   */
  public static Optional<String> text(JsonNode node, String... path) {
    JsonNode value = at(node, path);
    if (value.isObject()) {
      value = value.path("id");
    }
    return value.isString() && !value.stringValue().isBlank()
        ? Optional.of(value.stringValue())
        : Optional.empty();
  }

  public static Optional<Long> number(JsonNode node, String... path) {
    JsonNode value = at(node, path);
    return value.isIntegralNumber() ? Optional.of(value.longValue()) : Optional.empty();
  }

  public static Optional<Instant> epochSeconds(JsonNode node, String... path) {
    return number(node, path).map(Instant::ofEpochSecond);
  }

  public static Optional<Boolean> bool(JsonNode node, String... path) {
    JsonNode value = at(node, path);
    return value.isBoolean() ? Optional.of(value.booleanValue()) : Optional.empty();
  }

  public static String required(JsonNode node, String what, String... path) {
    return text(node, path).orElseThrow(() -> new MalformedEvent("missing " + what));
  }
}
