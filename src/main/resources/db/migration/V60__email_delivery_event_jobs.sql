-- Delivery events are applied by a job after they are stored: the provider's message id is kept for matching
-- then, and applied_at says which events their job has applied. Events stored before were applied on arrival.
-- Runs unchanged on H2 (MODE=PostgreSQL) and PostgreSQL 15.
ALTER TABLE email_delivery_events ADD COLUMN provider_message_id VARCHAR(255);
ALTER TABLE email_delivery_events ADD COLUMN applied_at TIMESTAMP WITH TIME ZONE;
UPDATE email_delivery_events SET applied_at = received_at;
