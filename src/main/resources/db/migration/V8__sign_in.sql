-- Sign-in: provider identities linked to accounts, sessions with rotating refresh tokens, the JWT signing keys
-- shared by every instance, and the single-use tokens mailed for email verification and password reset.

-- One row per (provider, provider user id). The email is what the provider said at the last sign-in, and whether it
-- vouched for it; linking rules only ever trust a verified one.
CREATE TABLE identities (
  provider       VARCHAR(40)  NOT NULL,
  subject        VARCHAR(200) NOT NULL,
  account_id     VARCHAR(40)  NOT NULL,
  email          VARCHAR(320),
  email_verified BOOLEAN      NOT NULL,
  created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (provider, subject)
);

CREATE INDEX identities_account ON identities (account_id);

-- A session is one refresh-token family: opened at sign-in, ended by logout, revocation or reuse of a rotated token.
CREATE TABLE auth_sessions (
  id            VARCHAR(40)  PRIMARY KEY,
  account_id    VARCHAR(40)  NOT NULL,
  method        VARCHAR(40)  NOT NULL,
  ip_address    VARCHAR(64),
  user_agent    VARCHAR(300),
  created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
  last_used_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  expires_at    TIMESTAMP WITH TIME ZONE NOT NULL,
  revoked_at    TIMESTAMP WITH TIME ZONE,
  revoked_why   VARCHAR(40)
);

CREATE INDEX auth_sessions_account ON auth_sessions (account_id);

-- Refresh tokens, by SHA-256 only. A rotated token keeps its row so a later reuse is recognised as such.
CREATE TABLE refresh_tokens (
  token_hash VARCHAR(64) PRIMARY KEY,
  session_id VARCHAR(40) NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  rotated_at TIMESTAMP WITH TIME ZONE
);

CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id);

-- ES256 signing keys: standby (published, not yet signing) → active (signing) → retired (published until the last
-- token it signed has expired). The private key is sealed with AES-256-GCM under the key-encryption secret.
CREATE TABLE signing_keys (
  kid            VARCHAR(40)   PRIMARY KEY,
  status         VARCHAR(10)   NOT NULL,
  public_jwk     VARCHAR(1000) NOT NULL,
  private_sealed VARCHAR(2000) NOT NULL,
  created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
  activated_at   TIMESTAMP WITH TIME ZONE,
  retired_at     TIMESTAMP WITH TIME ZONE
);

-- One row every instance locks before changing keys, so two instances never both rotate or bootstrap.
CREATE TABLE signing_key_lock (
  id INT PRIMARY KEY
);

INSERT INTO signing_key_lock (id) VALUES (1);

-- Mailed one-time tokens (verify-email, password-reset), by SHA-256 only.
CREATE TABLE auth_tokens (
  token_hash VARCHAR(64) PRIMARY KEY,
  purpose    VARCHAR(20) NOT NULL,
  account_id VARCHAR(40) NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
  used_at    TIMESTAMP WITH TIME ZONE
);

CREATE INDEX auth_tokens_account ON auth_tokens (account_id);
