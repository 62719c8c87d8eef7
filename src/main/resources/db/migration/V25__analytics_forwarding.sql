-- Forwarding of stored analytics events to Segment and PostHog. Runs unchanged on H2 (MODE=PostgreSQL) and
-- PostgreSQL 15. One row per configured destination: how far it has been sent (cursor = the last analytics_events.id
-- handled), its counters, and a lease so that with several instances only one sends a destination at a time.
CREATE TABLE analytics_destinations (
  id                    VARCHAR(32)              NOT NULL PRIMARY KEY,
  cursor_id             BIGINT                   NOT NULL DEFAULT 0,
  forwarded             BIGINT                   NOT NULL DEFAULT 0,
  -- Events the provider refused for good (a 4xx other than 401/403/429 on the event on its own).
  failed                BIGINT                   NOT NULL DEFAULT 0,
  -- Events whose integrations object left this destination out.
  skipped               BIGINT                   NOT NULL DEFAULT 0,
  consecutive_failures  INTEGER                  NOT NULL DEFAULT 0,
  last_error            VARCHAR(300),
  last_success_at       TIMESTAMP WITH TIME ZONE,
  failing_since         TIMESTAMP WITH TIME ZONE,
  lease_owner           VARCHAR(100),
  lease_until           TIMESTAMP WITH TIME ZONE,
  created_at            TIMESTAMP WITH TIME ZONE NOT NULL
);
