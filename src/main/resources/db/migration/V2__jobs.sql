-- The durable job queue: every outbound side effect is a row here until it is done or dead.
-- Runs unchanged on H2 (MODE=PostgreSQL) and PostgreSQL 15.
CREATE TABLE jobs (
  id            VARCHAR(36)              NOT NULL PRIMARY KEY,
  type          VARCHAR(100)             NOT NULL,
  payload       TEXT                     NOT NULL,
  dedupe_key    VARCHAR(255),
  status        VARCHAR(16)              NOT NULL,
  attempts      INTEGER                  NOT NULL DEFAULT 0,
  max_attempts  INTEGER                  NOT NULL,
  run_at        TIMESTAMP WITH TIME ZONE NOT NULL,
  locked_by     VARCHAR(100),
  locked_until  TIMESTAMP WITH TIME ZONE,
  last_error    VARCHAR(500),
  created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at    TIMESTAMP WITH TIME ZONE NOT NULL,
  finished_at   TIMESTAMP WITH TIME ZONE,
  CONSTRAINT jobs_status_known CHECK (status IN ('ready', 'running', 'done', 'dead')),
  CONSTRAINT jobs_attempts_positive CHECK (max_attempts >= 1 AND attempts >= 0)
);

-- NULLs are distinct in both databases, so only jobs that carry a key are deduplicated.
CREATE UNIQUE INDEX jobs_dedupe_key ON jobs (dedupe_key);
-- The claim query: due ready jobs, and running jobs whose lease expired.
CREATE INDEX jobs_status_run_at ON jobs (status, run_at);
CREATE INDEX jobs_status_locked_until ON jobs (status, locked_until);
-- Purging finished jobs.
CREATE INDEX jobs_status_finished_at ON jobs (status, finished_at);
