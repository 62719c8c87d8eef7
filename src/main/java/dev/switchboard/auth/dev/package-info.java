/**
 * The dev identity provider: in development, stands in for Google and GitHub when their client ids
 * are not set. It serves real OAuth endpoints under {@code /dev/oauth/{provider}/} (authorize page,
 * token with PKCE check, userinfo) that {@link dev.switchboard.auth.dev.DevIdentityProvider} talks
 * to over HTTP like any other provider.
 */
package dev.switchboard.auth.dev;
