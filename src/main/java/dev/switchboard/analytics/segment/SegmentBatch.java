package dev.switchboard.analytics.segment;

import dev.switchboard.analytics.ForwardedEvent;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The body of Segment's HTTP Tracking API batch call ({@code POST /v1/batch}): {@code
 * {"batch":[…]}} with the stored messages as they are.
 *
 * <p>Left out of each message: fields Segment sets itself ({@code receivedAt}), the inbound {@code
 * writeKey}, and the client's {@code sentAt}/{@code originalTimestamp}: our stored {@code
 * timestamp} is already corrected for the client's clock, and Segment would correct it a second
 * time. The {@code messageId} is kept, so Segment drops a batch sent twice after a lost answer.
 */
final class SegmentBatch {

  static final String PATH = "/v1/batch";
  private static final Set<String> DROPPED =
      Set.of("writeKey", "receivedAt", "sentAt", "originalTimestamp");

  private SegmentBatch() {}

  static ObjectNode body(List<ForwardedEvent> events, JsonMapper json) {
    ObjectNode body = json.createObjectNode();
    ArrayNode batch = body.putArray("batch");
    for (ForwardedEvent event : events) {
      ObjectNode message = event.message().deepCopy();
      message.remove(DROPPED);
      batch.add(message);
    }
    return body;
  }
}
