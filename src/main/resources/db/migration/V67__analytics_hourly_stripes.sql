-- Hourly counts kept per stripe: the writes of one instance that commit at once each add to a row of their own
-- (stripe 0, 1, 2, ...), so none waits for another's row lock until it commits. Readers add the stripes up.
-- A new table renamed into place: H2 and PostgreSQL name a primary key differently, so it cannot be dropped by
-- name in one script for both.
CREATE TABLE analytics_hourly_striped (
  event       VARCHAR(200)             NOT NULL,
  hour_start  TIMESTAMP WITH TIME ZONE NOT NULL,
  stripe      SMALLINT                 NOT NULL,
  events      BIGINT                   NOT NULL,
  PRIMARY KEY (event, hour_start, stripe)
);
INSERT INTO analytics_hourly_striped (event, hour_start, stripe, events)
  SELECT event, hour_start, 0, events FROM analytics_hourly;
DROP TABLE analytics_hourly;
ALTER TABLE analytics_hourly_striped RENAME TO analytics_hourly;
