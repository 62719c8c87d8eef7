package dev.switchboard.analytics;

import java.time.Instant;
import java.util.Optional;

/**
 * Where forwarding to one destination stands.
 *
 * @param id the destination id
 * @param cursor the id of the last event handled (sent, refused or skipped)
 * @param forwarded events the provider accepted
 * @param failed events the provider refused for good
 * @param skipped events whose {@code integrations} object left this destination out
 * @param consecutiveFailures failed calls since the last accepted one
 * @param lastError the last failure, without secrets
 * @param lastSuccessAt when a batch was last accepted
 * @param failingSince when the current run of failures began
 */
public record DestinationState(
    String id,
    long cursor,
    long forwarded,
    long failed,
    long skipped,
    int consecutiveFailures,
    Optional<String> lastError,
    Optional<Instant> lastSuccessAt,
    Optional<Instant> failingSince) {}
