package dev.switchboard.email.postmark;

import static dev.switchboard.email.DeliveryPayloads.malformed;
import static dev.switchboard.email.DeliveryPayloads.text;

import dev.switchboard.email.DeliveryEvent;
import dev.switchboard.email.DeliveryPayloads;
import dev.switchboard.platform.crypto.Digests;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * One Postmark webhook record mapped to a {@link DeliveryEvent}. Bounce and spam complaint records
 * carry an {@code ID}; the others do not, so their id is a SHA-256 of what identifies them (record
 * type, message id, recipient, timestamp as sent): Postmark's retry of the same record gets the
 * same id and is a duplicate.
 */
final class PostmarkEvents {

  static final String OUR_ID = "switchboard_message_id";

  private PostmarkEvents() {}

  static List<DeliveryEvent> parse(JsonNode record, Clock clock) {
    if (!record.isObject()) {
      throw malformed("The body must be one JSON object with a RecordType.");
    }
    String recordType =
        text(record, "RecordType").orElseThrow(() -> malformed("The record has no RecordType."));
    Optional<DeliveryEvent.Type> type =
        type(
            recordType,
            text(record, "Type").orElse(""),
            record.path("Inactive").asBoolean(false),
            record.path("SuppressSending").asBoolean(false));
    if (type.isEmpty()) {
      return List.of();
    }
    String recipient =
        text(record, "Recipient")
            .or(() -> text(record, "Email"))
            .orElseThrow(
                () -> malformed("The " + recordType + " record has no Recipient or Email."));
    Optional<String> providerMessageId = text(record, "MessageID");
    Optional<String> at =
        text(record, "DeliveredAt")
            .or(() -> text(record, "BouncedAt"))
            .or(() -> text(record, "ReceivedAt"))
            .or(() -> text(record, "ChangedAt"));
    Instant occurredAt = at.map(PostmarkEvents::instant).orElseGet(clock::instant);
    JsonNode id = record.path("ID");
    String eventId =
        id.isNumber() || id.isString() && !id.stringValue().isBlank()
            ? id.asString()
            : derivedId(recordType, providerMessageId.orElse(""), recipient, at.orElse(""));
    return List.of(
        new DeliveryEvent(
            PostmarkWebhookVerifier.PROVIDER,
            eventId,
            text(record.path("Metadata"), OUR_ID),
            providerMessageId,
            type.get(),
            recipient,
            occurredAt,
            detail(record, recordType)));
  }

  /**
   * Postmark record types and bounce types. {@code Transient} is a delay, not a failure. A bounce
   * that made Postmark deactivate the address ({@code Inactive}) counts as hard: Postmark refuses
   * further sends to it (406). Bounce types that are not delivery failures (auto-responders,
   * address changes, challenge mails) change nothing.
   */
  static Optional<DeliveryEvent.Type> type(
      String recordType, String bounceType, boolean inactive, boolean suppress) {
    return Optional.ofNullable(
        switch (recordType) {
          case "Delivery" -> DeliveryEvent.Type.DELIVERED;
          case "SpamComplaint" -> DeliveryEvent.Type.COMPLAINED;
          case "SubscriptionChange" -> suppress ? DeliveryEvent.Type.UNSUBSCRIBED : null;
          case "Open" -> DeliveryEvent.Type.OPENED;
          case "Click" -> DeliveryEvent.Type.CLICKED;
          case "Bounce" -> bounce(bounceType, inactive);
          default -> null;
        });
  }

  private static DeliveryEvent.Type bounce(String bounceType, boolean inactive) {
    return switch (bounceType) {
      case "HardBounce", "BadEmailAddress", "ManuallyDeactivated" -> DeliveryEvent.Type.HARD_BOUNCE;
      case "SpamComplaint" -> DeliveryEvent.Type.COMPLAINED;
      case "Unsubscribe" -> DeliveryEvent.Type.UNSUBSCRIBED;
      case "AutoResponder",
          "AddressChange",
          "Subscribe",
          "ChallengeVerification",
          "OpenRelayTest" ->
          null;
      case "Transient" -> inactive ? DeliveryEvent.Type.HARD_BOUNCE : DeliveryEvent.Type.DEFERRED;
      default -> inactive ? DeliveryEvent.Type.HARD_BOUNCE : DeliveryEvent.Type.SOFT_BOUNCE;
    };
  }

  static String derivedId(String recordType, String messageId, String recipient, String at) {
    return "sha256:" + Digests.sha256Hex(String.join("\n", recordType, messageId, recipient, at));
  }

  private static Instant instant(String text) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw malformed("A timestamp is not an ISO 8601 date-time with offset.");
    }
  }

  private static String detail(JsonNode record, String recordType) {
    String type = text(record, "Type").map(t -> " " + t).orElse("");
    String description = text(record, "Description").map(d -> ": " + d).orElse("");
    String detail = recordType + type + description;
    return DeliveryPayloads.detail(detail);
  }
}
