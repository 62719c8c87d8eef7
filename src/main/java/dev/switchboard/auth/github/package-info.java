/**
 * GitHub sign-in (OAuth app): token exchange, {@code /user} and the primary verified address from
 * {@code /user/emails}.
 */
package dev.switchboard.auth.github;
