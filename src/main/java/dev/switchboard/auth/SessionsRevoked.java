package dev.switchboard.auth;

import java.time.Instant;

/**
 * Published inside the service (Spring application event, synchronously, inside the revoking
 * transaction) when every session of an account ends: password reset or change, logout of all
 * sessions, the dashboard's Revoke all, a takeover, a verified address. Areas that keep their own
 * sessions for the account (the dashboard) end them too.
 *
 * @param why the revocation reason recorded on the sessions ({@code password_reset}, {@code
 *     logout_all}, …)
 */
public record SessionsRevoked(String accountId, String why, Instant at) {}
