-- A claim reads the ready jobs of each type it claims through their own range of (status, type, run_at), from the
-- earliest run_at, and stops at its limit (JdbcJobStore.claim). Through (status, run_at) a claim for types with
-- nothing due read every ready job of the other types: behind a burst of 20,000 webhook events each claim of the
-- worker's one-job-per-thread types read 20,000 index rows to lease none. The new index replaces the old one
-- (nothing else reads ready jobs by run_at alone but the health check's oldest-due age), so each job insert still
-- writes the same number of index entries. Runs unchanged on H2 (MODE=PostgreSQL) and PostgreSQL.
CREATE INDEX jobs_status_type_run_at ON jobs (status, type, run_at);
DROP INDEX jobs_status_run_at;
