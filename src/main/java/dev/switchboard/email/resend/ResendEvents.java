package dev.switchboard.email.resend;

import static dev.switchboard.email.DeliveryPayloads.malformed;
import static dev.switchboard.email.DeliveryPayloads.text;

import dev.switchboard.email.DeliveryEvent;
import dev.switchboard.email.DeliveryPayloads;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * One Resend webhook ({@code {type, created_at, data}}) mapped to a {@link DeliveryEvent}. The
 * event id is the {@code svix-id}, which Svix keeps across its retries. {@code email.sent} changes
 * no status and other event types (domains, contacts, ones added later) are skipped.
 */
final class ResendEvents {

  static final String OUR_ID = "switchboard_message_id";

  private ResendEvents() {}

  static List<DeliveryEvent> parse(JsonNode payload, String svixId, long svixTimestamp) {
    if (!payload.isObject()) {
      throw malformed("The body must be a JSON object with type and data.");
    }
    String name = text(payload, "type").orElseThrow(() -> malformed("The event has no type."));
    JsonNode data = payload.path("data");
    Optional<DeliveryEvent.Type> type = type(name, text(data.path("bounce"), "type").orElse(""));
    if (type.isEmpty()) {
      return List.of();
    }
    if (!data.isObject()) {
      throw malformed("The " + name + " event has no data object.");
    }
    String emailId =
        text(data, "email_id")
            .orElseThrow(() -> malformed("The " + name + " event has no data.email_id."));
    String recipient =
        recipient(data.path("to"))
            .orElseThrow(() -> malformed("The " + name + " event has no data.to."));
    Instant occurredAt =
        text(payload, "created_at")
            .flatMap(ResendEvents::instant)
            .orElse(Instant.ofEpochSecond(svixTimestamp));
    return List.of(
        new DeliveryEvent(
            ResendWebhookVerifier.PROVIDER,
            svixId,
            tag(data.path("tags"), OUR_ID),
            Optional.of(emailId),
            type.get(),
            recipient,
            occurredAt,
            detail(name, data)));
  }

  /** Resend's email events; a bounce Resend marks {@code Transient} may pass on a later attempt. */
  static Optional<DeliveryEvent.Type> type(String name, String bounceType) {
    return Optional.ofNullable(
        switch (name) {
          case "email.delivered" -> DeliveryEvent.Type.DELIVERED;
          case "email.delivery_delayed" -> DeliveryEvent.Type.DEFERRED;
          case "email.bounced" ->
              bounceType.equals("Transient")
                  ? DeliveryEvent.Type.SOFT_BOUNCE
                  : DeliveryEvent.Type.HARD_BOUNCE;
          case "email.complained" -> DeliveryEvent.Type.COMPLAINED;
          case "email.opened" -> DeliveryEvent.Type.OPENED;
          case "email.clicked" -> DeliveryEvent.Type.CLICKED;
          // Resend did not send because the address is on its suppression list: the same as
          // SendGrid's dropped.
          case "email.suppressed" -> DeliveryEvent.Type.DROPPED;
          default -> null;
        });
  }

  /**
   * Tags arrive as an object ({@code {"name":"value"}}) or as a list of {@code {name, value}}
   * pairs.
   */
  static Optional<String> tag(JsonNode tags, String name) {
    if (tags.isObject()) {
      return text(tags, name);
    }
    for (JsonNode tag : tags) {
      if (tag.isObject() && text(tag, "name").filter(name::equals).isPresent()) {
        return text(tag, "value");
      }
    }
    return Optional.empty();
  }

  private static Optional<String> recipient(JsonNode to) {
    if (to.isArray()) {
      return to.isEmpty() ? Optional.empty() : textValue(to.get(0));
    }
    return textValue(to);
  }

  private static Optional<Instant> instant(String text) {
    try {
      return Optional.of(OffsetDateTime.parse(text).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static String detail(String name, JsonNode data) {
    String message = text(data.path("bounce"), "message").map(m -> ": " + m).orElse("");
    String detail = name + message;
    return DeliveryPayloads.detail(detail);
  }

  private static Optional<String> textValue(JsonNode value) {
    return value != null && value.isString() && !value.stringValue().isBlank()
        ? Optional.of(value.stringValue())
        : Optional.empty();
  }
}
