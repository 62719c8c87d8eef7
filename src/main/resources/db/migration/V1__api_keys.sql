-- API keys for server-to-server calls. Only the SHA-256 of a key is stored; the secret is shown once at creation.
CREATE TABLE api_keys (
  id           VARCHAR(40)  NOT NULL PRIMARY KEY,
  name         VARCHAR(100) NOT NULL,
  prefix       VARCHAR(16)  NOT NULL,
  key_hash     VARCHAR(64)  NOT NULL,
  scopes       VARCHAR(200) NOT NULL,
  created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
  last_used_at TIMESTAMP WITH TIME ZONE,
  revoked_at   TIMESTAMP WITH TIME ZONE
);

-- Every authenticated request looks its key up by hash.
CREATE UNIQUE INDEX api_keys_key_hash ON api_keys (key_hash);
