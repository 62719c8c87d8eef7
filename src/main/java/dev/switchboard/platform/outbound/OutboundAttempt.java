package dev.switchboard.platform.outbound;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One attempt of an outbound call, as reported to {@link OutboundCallListener}s. Deliberately
 * without headers, bodies and query strings, which is where credentials and personal data travel.
 *
 * @param integrationId the integration that made the call ({@code email.sendgrid}, {@code
 *     payments.stripe})
 * @param method the HTTP method
 * @param host the host called
 * @param path the path without query string; {@code /…} when the path itself is a secret (Slack
 *     webhook URLs)
 * @param status the HTTP status, when an answer arrived
 * @param failure {@code timeout}, {@code connect_failed} or {@code io_error}, when no answer
 *     arrived
 * @param duration how long the attempt took
 * @param attempt 1 for the first attempt
 */
public record OutboundAttempt(
    String integrationId,
    String method,
    String host,
    String path,
    OptionalInt status,
    Optional<String> failure,
    Duration duration,
    int attempt) {}
