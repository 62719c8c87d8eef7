-- OAuth sign-in flows in flight. One row per click on "Sign in with …", keyed by the hash of its random state, so
-- any instance can finish a flow and two tabs never overwrite each other. A row is deleted when its callback
-- arrives (single use) or after it expires (10 minutes).
CREATE TABLE oauth_flows (
  state_hash      VARCHAR(64)   PRIMARY KEY,
  provider        VARCHAR(40)   NOT NULL,
  redirect_to     VARCHAR(2048) NOT NULL,
  code_verifier   VARCHAR(128)  NOT NULL,
  nonce           VARCHAR(128)  NOT NULL,
  app_challenge   VARCHAR(128),
  link_account_id VARCHAR(40),
  attempt         INTEGER       NOT NULL,
  created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
  expires_at      TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX oauth_flows_expires_at ON oauth_flows (expires_at);

-- One-time codes handed to the app on its redirect_to after a successful sign-in, exchanged once for a session
-- within 60 seconds. Only the SHA-256 of the code is stored.
CREATE TABLE oauth_codes (
  code_hash     VARCHAR(64)  PRIMARY KEY,
  account_id    VARCHAR(40)  NOT NULL,
  method        VARCHAR(40)  NOT NULL,
  app_challenge VARCHAR(128),
  created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
  expires_at    TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX oauth_codes_expires_at ON oauth_codes (expires_at);
