-- Admins may also sign in to the dashboard with Google or GitHub: such a session points at the account (whose admin
-- role is re-checked on every page) instead of an API key.
ALTER TABLE admin_sessions ADD COLUMN account_id VARCHAR(40);
ALTER TABLE admin_sessions ALTER COLUMN key_id DROP NOT NULL;
