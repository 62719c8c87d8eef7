package dev.switchboard.email;

import dev.switchboard.platform.http.ApiException;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the providers' delivery-event parsers share: reading a verified body, a field's text, the
 * length of a history note, and the 400 {@code malformed_payload} for a body that is not the
 * provider's shape.
 */
public final class DeliveryPayloads {

  /** Characters of a provider's note (bounce reason, …) kept with an event. */
  public static final int MAX_DETAIL = 200;

  private DeliveryPayloads() {}

  /**
   * The verified body as JSON.
   *
   * @throws ApiException 400 {@code malformed_payload} when it is not JSON
   */
  public static JsonNode read(JsonMapper json, byte[] body) {
    try {
      return json.readTree(body);
    } catch (JacksonException e) {
      throw malformed("The body is not valid JSON.");
    }
  }

  /** A field's text; empty when it is missing, not a string or blank. */
  public static Optional<String> text(JsonNode node, String field) {
    JsonNode value = node == null ? null : node.path(field);
    return value != null && value.isString() && !value.stringValue().isBlank()
        ? Optional.of(value.stringValue())
        : Optional.empty();
  }

  /** A note cut to {@link #MAX_DETAIL} characters. */
  public static String detail(String text) {
    return text.length() > MAX_DETAIL ? text.substring(0, MAX_DETAIL) : text;
  }

  /** 400 {@code malformed_payload}: verified, but not the provider's JSON shape. */
  public static ApiException malformed(String message) {
    return new ApiException(400, "malformed_payload", message);
  }
}
