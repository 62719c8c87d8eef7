package dev.switchboard.email;

import java.time.Instant;
import java.util.Optional;

/**
 * A message as stored.
 *
 * @param attempts provider attempts so far (waits for a rate-limit permit are not attempts)
 * @param provider the provider of the latest attempt
 * @param providerMessageId the provider's id once it accepted the message
 * @param lastError the latest failure, short and free of secrets
 */
public record StoredMessage(
    String id,
    Optional<String> batchId,
    String template,
    Optional<String> locale,
    String recipient,
    RenderedEmail content,
    EmailStatus status,
    int attempts,
    Optional<String> provider,
    Optional<String> providerMessageId,
    Optional<String> lastError,
    Instant createdAt,
    Instant updatedAt) {}
