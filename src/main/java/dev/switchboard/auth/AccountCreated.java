package dev.switchboard.auth;

import java.time.Instant;

/**
 * Published inside the service (Spring application event) once per new account, after its row is
 * committed.
 *
 * @param method how it signed up: {@code password}, {@code google}, {@code github}
 */
public record AccountCreated(String accountId, String method, Instant at) {}
