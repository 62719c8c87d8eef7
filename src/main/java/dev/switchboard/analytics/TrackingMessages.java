package dev.switchboard.analytics;

import dev.switchboard.platform.ids.Ids;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Validates one Segment message by Segment's rules and enriches it into the stored form: ids
 * checked, messageId generated when absent, batch-level context and integrations merged in,
 * timestamp corrected for clock skew, the IP truncated, the user agent kept (bots flagged), UTM
 * parameters copied into {@code context.campaign}.
 */
final class TrackingMessages {

  static final Set<String> TYPES = Set.of("track", "page", "screen", "identify", "group", "alias");
  static final int MAX_EVENT_BYTES = 32 * 1024;
  static final int MAX_MESSAGE_ID = 99;
  static final int MAX_ID = 255;
  static final int MAX_EVENT_NAME = 200;
  static final int MAX_DEPTH = 32;

  /** Corrected timestamps further ahead than this are replaced by receivedAt. */
  static final Duration MAX_FUTURE = Duration.ofDays(1);

  /**
   * What the batch (or request) gives every message. What is the same for all of a request's
   * messages is worked out once: receivedAt and sentAt as written, the truncated client address,
   * and the campaign of the last page URL seen (a batch from one browser mostly repeats its URL).
   * One request's thread only.
   */
  static final class Shared {
    private final String source;
    private final ObjectNode context;
    private final ObjectNode integrations;
    private final Instant sentAt;
    private final Instant receivedAt;
    private final String userAgent;
    private final Duration retention;
    private final String sentAtText;
    private final String receivedAtText;
    private final String clientNetwork;
    private String lastUrl;
    private Map<String, String> lastCampaign = Map.of();

    Shared(
        String source,
        ObjectNode context,
        ObjectNode integrations,
        Instant sentAt,
        Instant receivedAt,
        String clientAddress,
        String userAgent,
        Duration retention) {
      this.source = source;
      this.context = context;
      this.integrations = integrations;
      this.sentAt = sentAt;
      this.receivedAt = receivedAt;
      this.userAgent = userAgent;
      this.retention = retention;
      this.sentAtText = sentAt == null ? null : IsoTimestamps.format(sentAt);
      this.receivedAtText = IsoTimestamps.format(receivedAt);
      this.clientNetwork = IpTruncation.truncate(clientAddress).orElse(null);
    }

    String source() {
      return source;
    }

    ObjectNode context() {
      return context;
    }

    ObjectNode integrations() {
      return integrations;
    }

    Instant sentAt() {
      return sentAt;
    }

    Instant receivedAt() {
      return receivedAt;
    }

    String userAgent() {
      return userAgent;
    }

    Duration retention() {
      return retention;
    }

    String sentAtText() {
      return sentAtText;
    }

    String receivedAtText() {
      return receivedAtText;
    }

    /** The client address truncated to its /24 or /48, or null. */
    String clientNetwork() {
      return clientNetwork;
    }

    /** {@link Campaigns#fromUrl}, remembering the last URL's answer (unmodifiable). */
    Map<String, String> campaign(String url) {
      if (url == null) {
        return Map.of();
      }
      if (!url.equals(lastUrl)) {
        lastCampaign = Collections.unmodifiableMap(Campaigns.fromUrl(url));
        lastUrl = url;
      }
      return lastCampaign;
    }
  }

  /** The outcome for one message: exactly one of event, rejection, or bot. */
  record Outcome(AnalyticsEvent event, Rejection rejection, boolean bot) {}

  private final JsonMapper json;

  TrackingMessages(JsonMapper json) {
    this.json = json;
  }

  Outcome read(int index, JsonNode node, String pathType, Shared shared) {
    if (!(node instanceof ObjectNode message)) {
      return reject(index, "invalid_message", null, "Each message must be a JSON object.");
    }
    String type = pathType != null ? pathType : text(message.get("type"));
    if (type == null || !TYPES.contains(type)) {
      return reject(
          index,
          "invalid_type",
          "type",
          "type must be one of track, page, screen, identify, group, alias.");
    }
    if (depth(message, 0) > MAX_DEPTH) {
      return reject(
          index,
          "too_deep",
          null,
          "The message is nested more than " + MAX_DEPTH + " levels deep.");
    }
    for (String field : new String[] {"properties", "traits", "context", "integrations"}) {
      JsonNode value = message.get(field);
      if (value != null && !value.isNull() && !value.isObject()) {
        return reject(index, "invalid_field_type", field, field + " must be a JSON object.");
      }
    }
    String userId = id(message.get("userId"));
    String anonymousId = id(message.get("anonymousId"));
    if (isBadId(message.get("userId"), userId)
        || isBadId(message.get("anonymousId"), anonymousId)) {
      return reject(
          index,
          "invalid_id",
          message.get("userId") != null ? "userId" : "anonymousId",
          "userId and anonymousId must be strings or numbers of at most "
              + MAX_ID
              + " characters.");
    }
    if (userId == null && anonymousId == null) {
      return reject(
          index, "no_user_anon_id", "userId", "Every message needs a userId or an anonymousId.");
    }
    String event =
        switch (type) {
          case "track" -> text(message.get("event"));
          case "page" -> "page_viewed";
          case "screen" -> "screen_viewed";
          default -> null;
        };
    if (type.equals("track") && (event == null || event.isBlank())) {
      return reject(index, "missing_event", "event", "A track call needs an event name.");
    }
    if (event != null && event.length() > MAX_EVENT_NAME) {
      return reject(
          index,
          "event_name_too_long",
          "event",
          "event must be at most " + MAX_EVENT_NAME + " characters.");
    }
    if (type.equals("alias") && (userId == null || id(message.get("previousId")) == null)) {
      return reject(
          index,
          "missing_previous_id",
          "previousId",
          "An alias call needs a userId and a previousId.");
    }
    if (type.equals("group") && id(message.get("groupId")) == null) {
      return reject(index, "missing_group_id", "groupId", "A group call needs a groupId.");
    }
    JsonNode rawMessageId = message.get("messageId");
    String messageId;
    if (rawMessageId == null || rawMessageId.isNull()) {
      messageId = "sb-" + Ids.uuid();
    } else if (!rawMessageId.isString()
        || rawMessageId.asString().isEmpty()
        || rawMessageId.asString().length() > MAX_MESSAGE_ID) {
      return reject(
          index,
          "invalid_message_id",
          "messageId",
          "messageId must be a string of 1 to " + MAX_MESSAGE_ID + " characters.");
    } else {
      messageId = clean(rawMessageId.asString());
    }
    Instant original;
    Instant sentAt;
    try {
      original = instant(message.get("timestamp"));
      if (original == null) {
        original = instant(message.get("originalTimestamp"));
      }
      Instant own = instant(message.get("sentAt"));
      sentAt = own != null ? own : shared.sentAt();
    } catch (DateTimeParseException e) {
      return reject(
          index,
          "invalid_timestamp",
          "timestamp",
          "timestamp and sentAt must be ISO-8601 date-times.");
    }

    message.remove("writeKey");
    merge(message, "context", shared.context());
    merge(message, "integrations", shared.integrations());
    ObjectNode context =
        message.get("context") instanceof ObjectNode c ? c : message.putObject("context");
    String userAgent = text(context.get("userAgent"));
    if (userAgent == null) {
      userAgent = shared.userAgent();
      if (userAgent != null) {
        context.put("userAgent", userAgent);
      }
    }
    if (BotFilter.isBot(userAgent)) {
      return new Outcome(null, null, true);
    }
    String ip = IpTruncation.truncate(text(context.get("ip"))).orElse(null);
    if (ip == null) {
      ip = shared.clientNetwork();
    }
    if (ip == null) {
      context.remove("ip");
    } else {
      context.put("ip", ip);
    }
    campaign(message, context, type, shared);

    Instant received = shared.receivedAt();
    Instant timestamp;
    try {
      timestamp =
          original == null
              ? received
              : sentAt == null ? original : received.minus(Duration.between(original, sentAt));
    } catch (DateTimeException | ArithmeticException e) {
      // Dates near the ends of the representable range: the difference does not fit.
      timestamp = received;
    }
    if (timestamp.isAfter(received.plus(MAX_FUTURE))
        || timestamp.isBefore(received.minus(shared.retention()))) {
      timestamp = received;
    }
    message.put("type", type);
    message.put("messageId", messageId);
    if (original != null) {
      message.put("originalTimestamp", IsoTimestamps.format(original));
    }
    if (sentAt != null) {
      message.put(
          "sentAt", sentAt == shared.sentAt() ? shared.sentAtText() : IsoTimestamps.format(sentAt));
    }
    message.put(
        "timestamp",
        timestamp == received ? shared.receivedAtText() : IsoTimestamps.format(timestamp));
    message.put("receivedAt", shared.receivedAtText());
    if (type.equals("track")) {
      message.put("event", clean(event));
    }
    String payload = json.writeValueAsString(message);
    if (payload.length() > MAX_EVENT_BYTES) {
      return reject(index, "event_too_large", null, "A message must be at most 32 KB.");
    }
    return new Outcome(
        new AnalyticsEvent(
            0,
            shared.source(),
            messageId,
            type,
            clean(event),
            clean(userId),
            clean(anonymousId),
            timestamp,
            received,
            payload),
        null,
        false);
  }

  private static void campaign(ObjectNode message, ObjectNode context, String type, Shared shared) {
    String url = context.get("page") instanceof ObjectNode page ? text(page.get("url")) : null;
    if (url == null
        && type.equals("page")
        && message.get("properties") instanceof ObjectNode props) {
      url = text(props.get("url"));
    }
    Map<String, String> utm = shared.campaign(url);
    if (utm.isEmpty()) {
      return;
    }
    ObjectNode campaign =
        context.get("campaign") instanceof ObjectNode c ? c : context.putObject("campaign");
    utm.forEach(
        (k, v) -> {
          if (!campaign.has(k)) {
            campaign.put(k, v);
          }
        });
  }

  /** The batch's object under {@code field} goes into the message's, whose own keys win. */
  private static void merge(ObjectNode message, String field, ObjectNode shared) {
    if (shared == null || shared.isEmpty()) {
      return;
    }
    JsonNode own = message.get(field);
    if (!(own instanceof ObjectNode ownObject)) {
      message.set(field, shared.deepCopy());
      return;
    }
    for (Map.Entry<String, JsonNode> entry : shared.properties()) {
      if (!ownObject.has(entry.getKey())) {
        ownObject.set(entry.getKey(), entry.getValue().deepCopy());
      }
    }
  }

  private static Outcome reject(int index, String code, String field, String message) {
    return new Outcome(null, new Rejection(index, code, field, message), false);
  }

  static Instant instant(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isString()) {
      throw new DateTimeParseException("not a string", "", 0);
    }
    return IsoTimestamps.parse(node.asString());
  }

  private static String text(JsonNode node) {
    return node != null && node.isString() ? node.asString() : null;
  }

  /** Segment accepts numeric ids and treats them as strings. */
  private static String id(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.isString()) {
      return node.asString().isEmpty() ? null : node.asString();
    }
    return node.isIntegralNumber() ? node.asString() : null;
  }

  private static boolean isBadId(JsonNode node, String id) {
    if (node == null || node.isNull()) {
      return false;
    }
    return (id == null && !(node.isString() && node.asString().isEmpty()))
        || (id != null && id.length() > MAX_ID);
  }

  /** NUL cannot be stored in a PostgreSQL text column; ids and names keep everything else. */
  static String clean(String value) {
    return value == null || value.indexOf('\0') < 0 ? value : value.replace('\0', '\uFFFD');
  }

  private static int depth(JsonNode node, int level) {
    if (level > MAX_DEPTH) {
      return level;
    }
    int max = level;
    if (node.isContainer()) {
      for (JsonNode child : node) {
        max = Math.max(max, depth(child, level + 1));
        if (max > MAX_DEPTH) {
          return max;
        }
      }
    }
    return max;
  }
}
