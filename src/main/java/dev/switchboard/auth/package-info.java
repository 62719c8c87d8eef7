/**
 * Sign-in: accounts, email + password, OAuth with Google and GitHub, sessions (ES256 access tokens, rotating refresh
 * tokens) and the JWKS other services verify them with.
 *
 * <p>Other areas read accounts through {@link dev.switchboard.auth.Accounts}; a signed-in request carries a
 * {@link dev.switchboard.platform.http.Caller} of kind {@code USER} whose id is the account id.
 */
package dev.switchboard.auth;
