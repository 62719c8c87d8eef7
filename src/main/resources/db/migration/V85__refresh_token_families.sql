-- A session keeps its refresh-token family on its own row: the hash of the current token, its generation and when
-- the last rotations happened (epoch milliseconds, newest first, only those still within the reuse grace window at
-- the time of writing). A rotation is then one conditional update of this row (the claim, the new expiry and the
-- successor together) instead of an update of the old token's row, an insert of the successor's and an update of
-- the session. Tokens of this form name their session and generation; the server derives each from the one before
-- (HMAC under the auth key secret), so it still stores no token, only the current one's SHA-256.
-- Sessions opened before this keep their tokens in refresh_tokens (NULL generation) until their next rotation,
-- which moves the family here; rows of refresh_tokens stay so that a reuse of one of those tokens is still caught.
ALTER TABLE auth_sessions ADD COLUMN refresh_generation BIGINT;
ALTER TABLE auth_sessions ADD COLUMN refresh_hash VARCHAR(64);
ALTER TABLE auth_sessions ADD COLUMN refresh_rotations VARCHAR(200);
