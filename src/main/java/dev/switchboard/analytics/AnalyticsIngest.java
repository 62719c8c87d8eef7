package dev.switchboard.analytics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Accepts Segment HTTP Tracking API calls. Whole requests are refused only as Segment refuses them
 * (invalid JSON or oversize: 400; unknown write key: 401); invalid messages are left out and
 * reported while the valid ones of the same batch are stored. Stored messages are written in one
 * batch and one transaction before the answer.
 */
public final class AnalyticsIngest {

  static final int MAX_BATCH_BYTES = 500 * 1024;
  static final int MAX_BATCH_EVENTS = 2_500;

  private final WriteKeys keys;
  private final AnalyticsEventStore store;
  private final TrackingMessages messages;
  private final JsonMapper json;
  private final Clock clock;
  private final Duration retention;

  public AnalyticsIngest(
      WriteKeys keys, AnalyticsEventStore store, JsonMapper json, Clock clock, Duration retention) {
    this.keys = keys;
    this.store = store;
    this.messages = new TrackingMessages(json);
    this.json = json;
    this.clock = clock;
    this.retention = retention;
  }

  /** The most bytes a request of this type may have once decoded. */
  static int maxBytes(String type) {
    return type.equals("batch") ? MAX_BATCH_BYTES : TrackingMessages.MAX_EVENT_BYTES;
  }

  /**
   * @throws AnalyticsException 400 {@code invalid_json}, {@code invalid_batch}, {@code
   *     event_too_large}, {@code batch_too_large}; 401 {@code invalid_write_key}; nothing is stored
   *     then
   */
  public IngestResult ingest(IngestRequest request) {
    Optional<String> basicSource = Optional.empty();
    if (request.basicKey() != null) {
      basicSource = keys.source(request.basicKey());
      if (basicSource.isEmpty()) {
        throw AnalyticsException.invalidWriteKey();
      }
    }
    boolean batch = request.type().equals("batch");
    if (request.body().length > maxBytes(request.type())) {
      throw batch
          ? new AnalyticsException(400, "batch_too_large", "A batch must be at most 500 KB.")
          : new AnalyticsException(400, "event_too_large", "A message must be at most 32 KB.");
    }
    JsonNode root;
    try {
      root = json.readTree(request.body());
    } catch (JacksonException e) {
      throw new AnalyticsException(400, "invalid_json", "The body is not valid JSON (UTF-8).");
    }
    if (!(root instanceof ObjectNode body)) {
      throw new AnalyticsException(400, "invalid_json", "The body must be a JSON object.");
    }
    List<JsonNode> items = new ArrayList<>();
    if (batch) {
      if (!(body.get("batch") instanceof ArrayNode array)) {
        throw new AnalyticsException(
            400, "invalid_batch", "A batch body needs a batch array of messages.");
      }
      array.forEach(items::add);
    } else {
      items.add(body);
    }
    String source =
        basicSource.orElseGet(
            () ->
                keys.source(bodyKey(body, items)).orElseThrow(AnalyticsException::invalidWriteKey));
    Instant received = clock.instant();
    Instant sentAt;
    try {
      sentAt = batch ? TrackingMessages.instant(body.get("sentAt")) : null;
    } catch (DateTimeParseException e) {
      sentAt = null;
    }
    TrackingMessages.Shared shared =
        new TrackingMessages.Shared(
            source,
            batch && body.get("context") instanceof ObjectNode c ? c : null,
            batch && body.get("integrations") instanceof ObjectNode i ? i : null,
            sentAt,
            received,
            request.clientAddress(),
            request.userAgent(),
            retention);
    List<AnalyticsEvent> valid = new ArrayList<>();
    List<Rejection> rejected = new ArrayList<>();
    int bots = 0;
    for (int index = 0; index < items.size(); index++) {
      if (index >= MAX_BATCH_EVENTS) {
        rejected.add(
            new Rejection(
                index,
                "too_many_events",
                "batch",
                "A batch holds at most "
                    + MAX_BATCH_EVENTS
                    + " messages; this one and the rest were not stored."));
        continue;
      }
      TrackingMessages.Outcome outcome =
          messages.read(index, items.get(index), batch ? null : request.type(), shared);
      if (outcome.event() != null) {
        valid.add(outcome.event());
      } else if (outcome.rejection() != null) {
        rejected.add(outcome.rejection());
      } else {
        bots++;
      }
    }
    int stored = valid.isEmpty() ? 0 : store.append(valid).size();
    return new IngestResult(stored, valid.size() - stored, bots, List.copyOf(rejected));
  }

  /**
   * The body's writeKey; in a batch the first message's when the batch has none (analytics.js puts
   * it there).
   */
  private static String bodyKey(ObjectNode body, List<JsonNode> items) {
    JsonNode key = body.get("writeKey");
    if ((key == null || !key.isString()) && !items.isEmpty() && items.get(0) != body) {
      key = items.get(0).get("writeKey");
    }
    return key != null && key.isString() ? key.asString() : null;
  }
}
