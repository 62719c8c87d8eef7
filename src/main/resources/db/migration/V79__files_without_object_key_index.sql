-- Every presign paid an insert into the unique index on object_key (the longest column, ~100 characters), which
-- nothing reads: files are found by id, by owner and by status, and a tombstone takes the key from the row by id.
-- Keys are unique by construction (uploads/<owner>/<random 122-bit UUID>/<name>), so the index only guarded
-- against a collision of two random UUIDs. Runs unchanged on H2 (MODE=PostgreSQL) and PostgreSQL.
ALTER TABLE files DROP CONSTRAINT files_object_key_unique;
