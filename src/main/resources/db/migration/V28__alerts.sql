-- Alerts. One open incident per (rule, subject): open_key holds 'rule/subject' while the incident is open and NULL
-- once resolved, and a unique constraint (NULLs never collide, on H2 and PostgreSQL alike) keeps a second one out,
-- whichever instance tries.
CREATE TABLE alert_incidents (
  id               VARCHAR(40)   PRIMARY KEY,
  rule             VARCHAR(40)   NOT NULL,
  subject          VARCHAR(200)  NOT NULL,
  open_key         VARCHAR(250),
  severity         VARCHAR(16)   NOT NULL,
  title            VARCHAR(300)  NOT NULL,
  detail           VARCHAR(1000) NOT NULL,
  dedup_key        VARCHAR(255)  NOT NULL,
  opened_at        TIMESTAMP WITH TIME ZONE NOT NULL,
  resolved_at      TIMESTAMP WITH TIME ZONE,
  acknowledged_at  TIMESTAMP WITH TIME ZONE,
  acknowledged_by  VARCHAR(200),
  reminders_sent   INTEGER       NOT NULL DEFAULT 0,
  last_notified_at TIMESTAMP WITH TIME ZONE NOT NULL,
  CONSTRAINT alert_incidents_one_open UNIQUE (open_key)
);
CREATE INDEX alert_incidents_opened ON alert_incidents (opened_at);

-- Silences: no new incident (and no reminder) for a matching rule and/or subject until 'until'.
CREATE TABLE alert_silences (
  id         VARCHAR(40)  PRIMARY KEY,
  rule       VARCHAR(40),
  subject    VARCHAR(200),
  silenced_until TIMESTAMP WITH TIME ZONE NOT NULL,
  reason     VARCHAR(500) NOT NULL,
  created_by VARCHAR(200),
  created_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- The instance that evaluates rules and sends: whoever holds this row's unexpired lease.
CREATE TABLE alert_lease (
  name       VARCHAR(40)  PRIMARY KEY,
  holder     VARCHAR(100) NOT NULL,
  expires_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Last delivery per channel, shared by every instance; broken = the channel refused for good (revoked webhook).
CREATE TABLE alert_channels (
  channel          VARCHAR(20)  PRIMARY KEY,
  last_delivery_at TIMESTAMP WITH TIME ZONE NOT NULL,
  ok               BOOLEAN      NOT NULL,
  broken           BOOLEAN      NOT NULL,
  detail           VARCHAR(300) NOT NULL
);

-- Health history rolled up per integration and UTC day, for the status page's 90-day bars.
CREATE TABLE health_daily (
  integration_id VARCHAR(100) NOT NULL,
  check_day      DATE         NOT NULL,
  checks         BIGINT       NOT NULL,
  up_checks      BIGINT       NOT NULL,
  PRIMARY KEY (integration_id, check_day)
);

-- Configured secrets by keyed hash (HMAC-SHA256 under the key below), never the value, with the day first seen.
CREATE TABLE secret_fingerprints (
  name        VARCHAR(100) NOT NULL,
  fingerprint VARCHAR(64)  NOT NULL,
  first_seen  DATE         NOT NULL,
  PRIMARY KEY (name, fingerprint)
);
CREATE TABLE secret_fingerprint_key (
  id    INTEGER     PRIMARY KEY,
  hmac_key VARCHAR(64) NOT NULL
);
