/**
 * API keys for server-to-server calls: {@code sk_…} keys stored hashed, scopes enforced per route
 * with {@link dev.switchboard.platform.apikeys.RequiresScope}, an {@code /api/keys} admin API, a
 * development key generated on first start, and the {@code keys} command on the jar. One
 * implementation ({@link dev.switchboard.platform.apikeys.ApiKeyService} over {@link
 * dev.switchboard.platform.apikeys.ApiKeyStore}) serves the HTTP API, the authentication filter and
 * the command line.
 */
package dev.switchboard.platform.apikeys;
