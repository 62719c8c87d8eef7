package dev.switchboard.auth;

/**
 * What a successful sign-in, exchange or refresh answers: {@code {accessToken, refreshToken,
 * expiresIn, user}}.
 *
 * @param expiresIn seconds until the access token expires
 */
public record SessionTokens(
    String accessToken, String refreshToken, long expiresIn, Account user) {}
