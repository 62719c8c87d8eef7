package dev.switchboard.payments;

import dev.switchboard.platform.http.ApiException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the providers' webhook verifiers share when they read an event: the body as the provider's
 * event object, and the 400 {@code malformed_event} for a body that is not one.
 */
public final class EventPayloads {

  private EventPayloads() {}

  /**
   * The body as a JSON object.
   *
   * @param provider the provider's display name, for the message ({@code Stripe}, {@code PayPal})
   * @throws ApiException 400 {@code malformed_event} when it is not JSON or not an object
   */
  public static JsonNode object(JsonMapper json, byte[] body, String provider) {
    JsonNode event;
    try {
      event = json.readTree(body);
    } catch (JacksonException e) {
      throw malformed("The body is not valid JSON.");
    }
    if (event == null || !event.isObject()) {
      throw malformed("The body is not a " + provider + " event object.");
    }
    return event;
  }

  /**
   * 400 {@code malformed_event}: the body is not an event the provider sends; nothing is stored.
   */
  public static ApiException malformed(String message) {
    return new ApiException(400, "malformed_event", message);
  }
}
