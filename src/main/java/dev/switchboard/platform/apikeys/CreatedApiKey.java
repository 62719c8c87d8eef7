package dev.switchboard.platform.apikeys;

import dev.switchboard.platform.config.Secret;

/**
 * A key just created, with its secret: the only moment the secret exists outside the caller's
 * hands. Show it once and drop it.
 *
 * @param key the stored key
 * @param secret the full {@code sk_…} value
 */
public record CreatedApiKey(ApiKey key, Secret secret) {}
