-- Hourly counts read by hour: the ingest box's "events today" (every health check) and the dashboard's charts ask for
-- a range of hours across every event, which the primary key (event, hour_start, stripe) cannot answer, so each read
-- scanned every hour kept (up to ANALYTICS_RETENTION, 400 days by default). The counts are updated in place; this
-- index's column never changes, so PostgreSQL's updates stay heap-only.
CREATE INDEX analytics_hourly_hour ON analytics_hourly (hour_start);
