package dev.switchboard.auth;

import java.time.Instant;
import java.util.Optional;

/**
 * One way into an account through a sign-in provider.
 *
 * @param provider provider id ({@code google}, {@code github})
 * @param subject the provider's stable user id
 * @param email the address the provider gave at the last sign-in, if any
 * @param emailVerified whether the provider vouched for that address
 */
public record Identity(
    String provider,
    String subject,
    String accountId,
    Optional<String> email,
    boolean emailVerified,
    Instant createdAt) {}
