-- One row per running Switchboard process on this database, written at startup and refreshed by its heartbeat
-- (platform/instances). Others read the rows to show every instance on the map, to flag one that stopped reporting
-- (no heartbeat for three of its own intervals), and to notice settings that cannot work across instances: local
-- storage or the H2 database with several instances, or different SWITCHBOARD_PUBLIC_URL values.
CREATE TABLE instances (
  id                    VARCHAR(40)   PRIMARY KEY,
  version               VARCHAR(64)   NOT NULL,
  host                  VARCHAR(255)  NOT NULL,
  pid                   BIGINT        NOT NULL,
  public_url            VARCHAR(2048) NOT NULL,
  database_kind         VARCHAR(16)   NOT NULL,
  storage_provider      VARCHAR(16)   NOT NULL,
  -- Where uploads land: 'local:<host>:<dir>', or the provider id (s3, r2). Two live instances with different
  -- values do not see each other's files.
  storage_location      VARCHAR(2048) NOT NULL,
  heartbeat_interval_ms BIGINT        NOT NULL,
  started_at            TIMESTAMP WITH TIME ZONE NOT NULL,
  heartbeat_at          TIMESTAMP WITH TIME ZONE NOT NULL,
  stopped_at            TIMESTAMP WITH TIME ZONE
);
-- Pruning deletes by age of the last heartbeat.
CREATE INDEX instances_heartbeat_at ON instances (heartbeat_at);
