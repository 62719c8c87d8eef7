package dev.switchboard.analytics.posthog;

import dev.switchboard.analytics.ForwardedEvent;
import dev.switchboard.platform.config.Secret;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The body of PostHog's batch capture,
 * https://posthog.com/docs/api/post-only-endpoints#batch-events: {@code POST /batch/} with the
 * project key as {@code api_key} in the body (no auth header) and one item per event.
 *
 * <p>Segment calls map as PostHog's own libraries do: {@code track} keeps its event name, {@code
 * page} is {@code $pageview} (with {@code $current_url}, {@code $pathname}, {@code $title}), {@code
 * screen} is {@code $screen}, {@code identify} is {@code $identify} with the traits as {@code
 * $set}, {@code alias} is {@code $create_alias}, {@code group} is {@code $groupidentify}. {@code
 * distinct_id} is the userId, else the anonymousId. The item's {@code uuid} is derived from the
 * messageId, so a batch sent twice is deduplicated.
 */
final class PostHogBatch {

  static final String PATH = "/batch/";

  private PostHogBatch() {}

  static ObjectNode body(Secret apiKey, List<ForwardedEvent> events, JsonMapper json) {
    ObjectNode body = json.createObjectNode();
    body.put("api_key", apiKey.reveal());
    body.put("historical_migration", false);
    ArrayNode batch = body.putArray("batch");
    for (ForwardedEvent event : events) {
      batch.add(item(event.message(), json));
    }
    return body;
  }

  static ObjectNode item(ObjectNode message, JsonMapper json) {
    String type = message.path("type").asString("track");
    String userId = text(message, "userId");
    String anonymousId = text(message, "anonymousId");
    String distinctId = userId != null ? userId : anonymousId;
    ObjectNode properties = json.createObjectNode();
    JsonNode given = message.path("properties");
    if (given.isObject()) {
      properties.setAll((ObjectNode) given);
    }
    properties.put("distinct_id", distinctId);
    JsonNode context = message.path("context");
    if (context.path("ip").isString()) {
      properties.put("$ip", context.path("ip").asString());
    }
    properties.put("$lib", "switchboard");
    String event;
    switch (type) {
      case "page" -> {
        event = "$pageview";
        JsonNode page = context.path("page");
        putFirst(properties, "$current_url", given.path("url"), page.path("url"));
        putFirst(properties, "$pathname", given.path("path"), page.path("path"));
        putFirst(
            properties, "$title", given.path("title"), page.path("title"), message.path("name"));
        putFirst(properties, "$referrer", given.path("referrer"), page.path("referrer"));
      }
      case "screen" -> {
        event = "$screen";
        putFirst(properties, "$screen_name", message.path("name"));
      }
      case "identify" -> {
        event = "$identify";
        if (message.path("traits").isObject()) {
          properties.set("$set", message.path("traits").deepCopy());
        }
        if (userId != null && anonymousId != null) {
          properties.put("$anon_distinct_id", anonymousId);
        }
      }
      case "alias" -> {
        event = "$create_alias";
        String previous = text(message, "previousId");
        if (previous != null) {
          properties.put("alias", previous);
        }
      }
      case "group" -> {
        event = "$groupidentify";
        properties.put("$group_type", "company");
        properties.put("$group_key", message.path("groupId").asString(""));
        if (message.path("traits").isObject()) {
          properties.set("$group_set", message.path("traits").deepCopy());
        }
      }
      default -> event = message.path("event").asString("");
    }
    ObjectNode item = json.createObjectNode();
    item.put("event", event);
    item.put("distinct_id", distinctId);
    item.set("properties", properties);
    String messageId = text(message, "messageId");
    if (messageId != null) {
      item.put(
          "uuid", UUID.nameUUIDFromBytes(messageId.getBytes(StandardCharsets.UTF_8)).toString());
    }
    if (message.path("timestamp").isString()) {
      item.put("timestamp", message.path("timestamp").asString());
    }
    return item;
  }

  private static void putFirst(ObjectNode target, String name, JsonNode... candidates) {
    for (JsonNode candidate : candidates) {
      if (candidate.isString() && !candidate.asString().isEmpty()) {
        target.put(name, candidate.asString());
        return;
      }
    }
  }

  private static String text(JsonNode message, String field) {
    JsonNode value = message.path(field);
    return value.isString() && !value.asString().isEmpty() ? value.asString() : null;
  }
}
