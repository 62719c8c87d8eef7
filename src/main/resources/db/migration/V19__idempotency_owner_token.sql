-- The heartbeat renews every claim it holds with one UPDATE … WHERE owner_token IN (…): without an index that
-- statement would scan a day of keys every 15 seconds.
CREATE INDEX idempotency_keys_owner_token ON idempotency_keys (owner_token);
