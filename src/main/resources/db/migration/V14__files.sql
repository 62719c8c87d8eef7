-- The storage area: one row per upload, from presign (pending) to verified (ready) or refused (rejected).
-- The object itself lives in the configured store under object_key. Runs unchanged on H2 (MODE=PostgreSQL) and
-- PostgreSQL 15.
CREATE TABLE files (
  id             VARCHAR(40)              NOT NULL PRIMARY KEY,
  owner          VARCHAR(100)             NOT NULL,
  object_key     VARCHAR(400)             NOT NULL,
  filename       VARCHAR(255)             NOT NULL,
  content_type   VARCHAR(255)             NOT NULL,
  size_bytes     BIGINT                   NOT NULL,
  status         VARCHAR(16)              NOT NULL,
  detected_type  VARCHAR(255),
  reject_reason  VARCHAR(300),
  created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
  completed_at   TIMESTAMP WITH TIME ZONE,
  CONSTRAINT files_object_key_unique UNIQUE (object_key),
  CONSTRAINT files_status_known CHECK (status IN ('pending', 'ready', 'rejected')),
  CONSTRAINT files_size_positive CHECK (size_bytes > 0)
);

-- The caller's files, newest first, with a keyset cursor on (created_at, id).
CREATE INDEX files_owner_created ON files (owner, created_at, id);
-- The cleanup of abandoned uploads and the pending count on the map.
CREATE INDEX files_status_created ON files (status, created_at);
