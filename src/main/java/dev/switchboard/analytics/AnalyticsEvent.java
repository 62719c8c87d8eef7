package dev.switchboard.analytics;

import java.time.Instant;
import java.util.Objects;

/**
 * One stored analytics message, as ingest enriched it. Rows are append-only: a stored event never
 * changes.
 *
 * @param id the position in the events table, increasing in insert order; 0 for an event not stored
 *     yet
 * @param source the write key's fingerprint ({@link WriteKeys#fingerprint}), never the key itself
 * @param messageId the client's retry-stable id (&lt; 100 characters), or one generated at ingest
 * @param type {@code track}, {@code page}, {@code screen}, {@code identify}, {@code group} or
 *     {@code alias}
 * @param event what is counted: the track event name, {@code page_viewed} for page, {@code
 *     screen_viewed} for screen; null for identify, group and alias
 * @param userId the app's user id, null for anonymous visitors
 * @param anonymousId the visitor's anonymous id, null when only userId was sent
 * @param timestamp when it happened, corrected for the client's clock skew
 * @param receivedAt when Switchboard received it
 * @param payloadJson the enriched Segment message as JSON: {@code type}, {@code messageId}, ids,
 *     {@code properties} or {@code traits}, {@code context} (with the truncated {@code ip}, {@code
 *     userAgent} and {@code campaign}), {@code integrations}, {@code timestamp}, {@code
 *     originalTimestamp}, {@code sentAt}, {@code receivedAt}; never a write key and never a raw IP
 *     address
 */
public record AnalyticsEvent(
    long id,
    String source,
    String messageId,
    String type,
    String event,
    String userId,
    String anonymousId,
    Instant timestamp,
    Instant receivedAt,
    String payloadJson) {

  public AnalyticsEvent {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(receivedAt, "receivedAt");
    Objects.requireNonNull(payloadJson, "payloadJson");
    if (userId == null && anonymousId == null) {
      throw new IllegalArgumentException("an event needs a userId or an anonymousId");
    }
  }

  /**
   * The id funnels count people by before stitching: the user id when known, else the anonymous id.
   */
  public String personKey() {
    return userId != null ? userId : anonymousId;
  }
}
