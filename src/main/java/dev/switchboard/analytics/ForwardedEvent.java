package dev.switchboard.analytics;

import java.util.Objects;
import tools.jackson.databind.node.ObjectNode;

/**
 * One stored event as handed to a destination.
 *
 * @param seq its position in the events table; destinations receive events in this order
 * @param message the Segment-format message as stored after enrichment ({@code type}, {@code
 *     messageId}, {@code userId}/{@code anonymousId}, {@code event}, {@code properties}, {@code
 *     traits}, {@code context}, {@code timestamp}, …); destinations must not modify it
 * @param bytes the size of the stored JSON, for cutting batches
 */
public record ForwardedEvent(long seq, ObjectNode message, int bytes) {

  public ForwardedEvent {
    Objects.requireNonNull(message, "message cannot be null");
  }
}
