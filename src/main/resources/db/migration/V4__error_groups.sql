-- Error monitoring without Sentry: one row per failure fingerprint (exception class + top stack frames).
CREATE TABLE error_groups (
  fingerprint      VARCHAR(64)   NOT NULL PRIMARY KEY,
  exception_type   VARCHAR(300)  NOT NULL,
  message          VARCHAR(1000) NOT NULL,
  occurrences      BIGINT        NOT NULL,
  first_seen       TIMESTAMP WITH TIME ZONE NOT NULL,
  last_seen        TIMESTAMP WITH TIME ZONE NOT NULL,
  last_request_id  VARCHAR(120),
  last_method      VARCHAR(20),
  last_path        VARCHAR(320),
  last_breadcrumbs TEXT
);

CREATE INDEX error_groups_last_seen ON error_groups (last_seen DESC);

-- Settings shared by every instance on this database, e.g. the salt that turns caller ids into opaque user ids.
CREATE TABLE error_settings (
  setting_key   VARCHAR(64)  NOT NULL PRIMARY KEY,
  setting_value VARCHAR(200) NOT NULL
);
