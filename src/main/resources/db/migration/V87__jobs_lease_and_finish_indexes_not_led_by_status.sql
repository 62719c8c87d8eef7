-- Only the claim's ready half reads jobs by status first, through (status, type, run_at). The other two indexes
-- led by status as well, and for `status = 'ready' AND type = ? AND run_at <= ?` PostgreSQL could take either of
-- them (only status in the index condition, every other column a filter) when it planned the claim on a table
-- without statistics (a new database, autovacuum not yet run) and then kept that plan for the statement on the
-- pooled connection: each claim then read and sorted every ready job to lease 16 (27 million index entries of
-- (status, finished_at) in one 20 s webhook burst, 5,000 per claim). Led by the timestamp, neither can answer a
-- condition on status, so no plan of the claim reads them:
--   * the expired-lease half reads (locked_until) from the oldest lease (a lease is set exactly while a job runs);
--   * purging done jobs reads (finished_at) up to the retention cut;
--   * the dashboard's dead jobs are found through (status, type, run_at) (a few rows, sorted).
-- Each job insert writes the same number of index entries as before. Runs unchanged on H2 (MODE=PostgreSQL) and
-- PostgreSQL.
--
-- The expired-lease half no longer names the status, so a lease left on a job that does not run would have it
-- claimed again: every statement that ends a run has cleared the lease since V2; this clears any that is left.
UPDATE jobs SET locked_by = NULL, locked_until = NULL WHERE status <> 'running' AND locked_until IS NOT NULL;
CREATE INDEX jobs_locked_until ON jobs (locked_until);
CREATE INDEX jobs_finished_at ON jobs (finished_at);
DROP INDEX jobs_status_locked_until;
DROP INDEX jobs_status_finished_at;
