-- Dashboard sign-ins. The browser holds a random token; only its SHA-256 is stored, so reading this table does not
-- let anyone sign in. Each row points at the API key used to sign in, so revoking the key ends the session.
CREATE TABLE admin_sessions (
  token_hash VARCHAR(64) PRIMARY KEY,
  key_id     VARCHAR(64) NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  expires_at TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX admin_sessions_expires_at ON admin_sessions (expires_at);
