/**
 * Google sign-in (OpenID Connect): discovery from {@code GOOGLE_ISSUER_URI}, validated id token,
 * nonce.
 */
package dev.switchboard.auth.google;
