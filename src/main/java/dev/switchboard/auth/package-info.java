/**
 * Sign-in: accounts, email + password, OAuth with Google and GitHub, sessions (ES256 access tokens,
 * rotating refresh tokens) and the JWKS other services verify them with.
 *
 * <p>The core: {@link dev.switchboard.auth.AccountLinker} (the linking rules behind {@link
 * dev.switchboard.auth.ProviderSignIn}), {@link dev.switchboard.auth.Sessions} (the {@link
 * dev.switchboard.auth.SessionIssuer}: refresh-token families, rotation, reuse detection), {@link
 * dev.switchboard.auth.SigningKeys} (ES256 keys in the database, standby → active → retired),
 * {@link dev.switchboard.auth.AccessTokenAuthentication} (bearer JWT → caller) and {@link
 * dev.switchboard.auth.EmailPasswordSignIn}. See {@code docs/auth.md}.
 *
 * <p>OAuth providers ({@link dev.switchboard.auth.OAuthProvider}): {@code google} (OpenID Connect),
 * {@code github}, and {@code dev}, the dev identity provider standing in for either in development;
 * the flow around them is {@link dev.switchboard.auth.OAuthFlows}.
 *
 * <p>Other areas read accounts through {@link dev.switchboard.auth.Accounts}; a signed-in request
 * carries a {@link dev.switchboard.platform.http.Caller} of kind {@code USER} whose id is the
 * account id.
 */
package dev.switchboard.auth;
