package dev.switchboard.analytics;

/**
 * Why one message was not stored, reported in the 200 answer as Segment does (it stores the valid
 * messages of a batch and drops the rest).
 *
 * @param index the message's position in the batch (0 for single calls)
 * @param code a stable snake_case code, e.g. {@code no_user_anon_id}, {@code missing_event}
 * @param field the offending field, or null
 * @param message a sentence for the developer
 */
public record Rejection(int index, String code, String field, String message) {}
