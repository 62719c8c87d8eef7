package dev.switchboard.email;

import java.time.Instant;

/** One step in a message's life: the status it reached, when, and why. */
public record HistoryEntry(EmailStatus status, Instant at, String detail) {}
