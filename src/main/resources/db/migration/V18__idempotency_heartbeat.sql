-- A request that runs longer than the in-flight lease keeps its Idempotency-Key by renewing this column from a
-- heartbeat on the instance running it. NULL until the first renewal: the lease then counts from created_at, so a
-- claim left by a crashed instance still expires one lease after it was taken.
ALTER TABLE idempotency_keys ADD COLUMN heartbeat_at TIMESTAMP WITH TIME ZONE;
-- The heartbeat renews every claim it holds with one UPDATE … WHERE owner_token IN (…): without an index that
-- statement would scan a day of keys every 15 seconds.
CREATE INDEX idempotency_keys_owner_token ON idempotency_keys (owner_token);
