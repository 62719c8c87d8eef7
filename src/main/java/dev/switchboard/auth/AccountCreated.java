package dev.switchboard.auth;

import java.time.Instant;

/**
 * Published inside the service (Spring application event) once per new account, inside the
 * transaction that creates it. A listener that writes to the database and must commit with the
 * account uses {@code @TransactionalEventListener(phase = BEFORE_COMMIT)} (analytics' {@code
 * signed_up} does); one with outside effects (a mail, a call) uses {@code AFTER_COMMIT}, so a
 * rolled-back sign-up causes none. A plain {@code @EventListener} runs at once, inside the
 * transaction.
 *
 * @param method how it signed up: {@code password}, {@code google}, {@code github}
 */
public record AccountCreated(String accountId, String method, Instant at) {}
