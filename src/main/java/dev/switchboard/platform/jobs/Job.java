package dev.switchboard.platform.jobs;

import java.time.Instant;
import java.util.Optional;

/**
 * A job as handed to its {@link JobHandler}.
 *
 * @param id the job id; stable across attempts, so it makes a good idempotency key for the provider
 *     call
 * @param type the handler type, e.g. {@code email.send}
 * @param payload the JSON text given at enqueue time
 * @param dedupeKey the dedupe key, if one was given
 * @param attempt this attempt, 1 for the first
 * @param maxAttempts the attempt after which a failure buries the job
 * @param createdAt when it was enqueued
 */
public record Job(
    String id,
    String type,
    String payload,
    Optional<String> dedupeKey,
    int attempt,
    int maxAttempts,
    Instant createdAt) {

  /** Whether this is the last attempt: a failure now makes the job dead. */
  public boolean lastAttempt() {
    return attempt >= maxAttempts;
  }
}
