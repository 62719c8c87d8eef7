/**
 * The durable job queue: a {@code jobs} table in the application database, claimed with {@code FOR
 * UPDATE SKIP LOCKED} on PostgreSQL so that several instances share it, and a single claiming
 * thread on H2.
 *
 * <p>Areas enqueue with {@link dev.switchboard.platform.jobs.JobQueue} (inside their own
 * transaction when they have one) and implement {@link dev.switchboard.platform.jobs.JobHandler}
 * beans; the {@link dev.switchboard.platform.jobs.JobWorker} runs them, retries with the backoff of
 * {@code platform.outbound}, and buries a job as {@code dead} after its last attempt or a permanent
 * failure. Providers: {@code h2} (development) and {@code postgresql}.
 */
package dev.switchboard.platform.jobs;
