-- Keys of uploads deleted or rejected while their presigned PUT URL could still be used. On S3 and R2 that URL can
-- store the object again after the delete, with no row pointing at it; the cleanup job deletes the object once
-- more after url_expires_at plus a clock-skew margin, then forgets the key. A separate table rather than a
-- 'deleted' status: every query on files (list, read, complete, counts, the dashboard) stays as it is, a deleted
-- id is simply gone, and nothing of a deleted file is kept but its key. Runs unchanged on H2 (MODE=PostgreSQL) and
-- PostgreSQL 15.
CREATE TABLE file_tombstones (
  object_key      VARCHAR(400)             NOT NULL PRIMARY KEY,
  url_expires_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

-- The cleanup's "expired long enough" scan.
CREATE INDEX file_tombstones_expiry ON file_tombstones (url_expires_at);
