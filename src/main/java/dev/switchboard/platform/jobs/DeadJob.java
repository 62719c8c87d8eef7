package dev.switchboard.platform.jobs;

import java.time.Instant;

/**
 * A job that will not run again unless retried by an operator. The payload is left out: it may hold
 * personal data and the dashboard lists these.
 *
 * @param id the job id, for {@link JobQueue#retryDead(String)}
 * @param type the job type
 * @param attempts attempts made
 * @param lastError the last failure, short and without secrets
 * @param createdAt when it was enqueued
 * @param finishedAt when it was buried
 */
public record DeadJob(
    String id,
    String type,
    int attempts,
    String lastError,
    Instant createdAt,
    Instant finishedAt) {}
