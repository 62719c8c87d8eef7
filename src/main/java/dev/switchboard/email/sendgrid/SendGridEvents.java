package dev.switchboard.email.sendgrid;

import static dev.switchboard.email.DeliveryPayloads.malformed;
import static dev.switchboard.email.DeliveryPayloads.text;

import dev.switchboard.email.DeliveryEvent;
import dev.switchboard.email.DeliveryPayloads;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * SendGrid's event batch (a JSON array) mapped to {@link DeliveryEvent}s. {@code processed} and
 * {@code group_resubscribe} change no status and are skipped, as are event types SendGrid may add
 * later.
 */
final class SendGridEvents {

  static final String OUR_ID = "switchboard_message_id";

  private SendGridEvents() {}

  static List<DeliveryEvent> parse(JsonNode batch) {
    if (!batch.isArray()) {
      throw malformed("The body must be a JSON array of events.");
    }
    List<DeliveryEvent> events = new ArrayList<>();
    for (JsonNode event : batch) {
      if (!event.isObject()) {
        throw malformed("Every element of the array must be an event object.");
      }
      String name =
          text(event, "event").orElseThrow(() -> malformed("An event has no \"event\" field."));
      Optional<DeliveryEvent.Type> type = type(name, text(event, "type").orElse("bounce"));
      if (type.isEmpty()) {
        continue;
      }
      String eventId =
          text(event, "sg_event_id")
              .orElseThrow(() -> malformed("A " + name + " event has no sg_event_id."));
      String email =
          text(event, "email").orElseThrow(() -> malformed("A " + name + " event has no email."));
      JsonNode timestamp = event.path("timestamp");
      if (!timestamp.canConvertToLong()) {
        throw malformed("A " + name + " event has no timestamp in seconds.");
      }
      events.add(
          new DeliveryEvent(
              SendGridWebhookVerifier.PROVIDER,
              eventId,
              text(event, OUR_ID),
              text(event, "sg_message_id").map(SendGridEvents::sentMessageId),
              type.get(),
              email,
              Instant.ofEpochSecond(timestamp.asLong()),
              detail(event, name)));
    }
    return events;
  }

  /**
   * The event names SendGrid documents. A {@code bounce} of type {@code blocked} is a refusal
   * SendGrid does not retry; like {@code dropped}, it suppresses the recipient.
   */
  static Optional<DeliveryEvent.Type> type(String event, String bounceType) {
    return Optional.ofNullable(
        switch (event) {
          case "delivered" -> DeliveryEvent.Type.DELIVERED;
          case "deferred" -> DeliveryEvent.Type.DEFERRED;
          case "bounce" ->
              bounceType.equals("blocked")
                  ? DeliveryEvent.Type.DROPPED
                  : DeliveryEvent.Type.HARD_BOUNCE;
          case "dropped" -> DeliveryEvent.Type.DROPPED;
          case "spamreport" -> DeliveryEvent.Type.COMPLAINED;
          case "unsubscribe", "group_unsubscribe" -> DeliveryEvent.Type.UNSUBSCRIBED;
          case "open" -> DeliveryEvent.Type.OPENED;
          case "click" -> DeliveryEvent.Type.CLICKED;
          default -> null;
        });
  }

  /**
   * The id the send call returned ({@code X-Message-Id}). Events carry it with a per-recipient
   * suffix ({@code <id>.filterdrecv-…}), which is cut so the event can be matched to the message.
   */
  static String sentMessageId(String sgMessageId) {
    int filter = sgMessageId.indexOf(".filter");
    return filter > 0 ? sgMessageId.substring(0, filter) : sgMessageId;
  }

  private static String detail(JsonNode event, String name) {
    String reason = text(event, "reason").or(() -> text(event, "response")).orElse("");
    String detail = reason.isEmpty() ? name : name + ": " + reason;
    return DeliveryPayloads.detail(detail);
  }
}
