-- Refresh tokens are only ever looked up by their hash (the primary key): nothing reads them by session. The
-- session index cost every refresh one more index insert (and, on H2, one more page in the store write that
-- makes the answer durable), so it goes.
DROP INDEX IF EXISTS refresh_tokens_session;
