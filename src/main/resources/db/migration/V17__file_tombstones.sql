-- Keys of uploads deleted or rejected while an upload to their presigned PUT URL could still store an object. On
-- S3 and R2 that URL can store the object again after the delete, with no row pointing at it; the cleanup job
-- deletes the object once more at next_sweep_at (first once the URL expired plus a clock-skew margin, then once
-- more at last_sweep_at, 24 hours after the upload was created, for a slow upload that started before the expiry
-- and finished after the first sweep), then forgets the key. A separate table rather than a 'deleted' status:
-- every query on files (list, read, complete, counts, the dashboard) stays as it is, a deleted id is simply gone,
-- and nothing of a deleted file is kept but its key. Runs unchanged on H2 (MODE=PostgreSQL) and PostgreSQL 15.
CREATE TABLE file_tombstones (
  object_key     VARCHAR(400)             NOT NULL PRIMARY KEY,
  next_sweep_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  last_sweep_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

-- The cleanup's "due" scan.
CREATE INDEX file_tombstones_next_sweep ON file_tombstones (next_sweep_at);
