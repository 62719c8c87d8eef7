package dev.switchboard.email;

/** A bulk send that was stored and queued. */
public record BulkAccepted(String batchId, int count) {}
