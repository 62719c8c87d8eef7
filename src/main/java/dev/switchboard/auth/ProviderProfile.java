package dev.switchboard.auth;

import java.util.Optional;

/**
 * Who a sign-in provider says the user is, after the code exchange.
 *
 * @param provider provider id: {@code google}, {@code github}
 * @param subject the provider's stable user id ({@code sub} for Google, the numeric id for GitHub)
 * @param email the address the provider gave, if any (lower-cased by the caller is not required)
 * @param emailVerified whether the provider vouches for the address ({@code email_verified}, or
 *     GitHub's primary verified email); an unverified address is never used to link to an existing
 *     account
 */
public record ProviderProfile(
    String provider,
    String subject,
    Optional<String> email,
    boolean emailVerified,
    Optional<String> name) {}
