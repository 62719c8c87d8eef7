-- People who sign in. The email is stored lower-cased and is unique: one account per address, whichever way it signs
-- in. A password hash is present only for accounts that registered with a password (or set one later).
CREATE TABLE accounts (
  id             VARCHAR(40)  PRIMARY KEY,
  email          VARCHAR(320) NOT NULL,
  email_verified BOOLEAN      NOT NULL,
  name           VARCHAR(200),
  password_hash  VARCHAR(200),
  roles          VARCHAR(200) NOT NULL DEFAULT '',
  created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at     TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE UNIQUE INDEX accounts_email ON accounts (email);
