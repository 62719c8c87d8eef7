-- The callback of a link flow no longer links: its state only proves that someone started the link, not that the
-- browser coming back belongs to that account. It stores the provider identity with a one-time code instead, and
-- the link happens when the same account's session presents the code (POST /api/auth/link/{provider}/complete).
ALTER TABLE oauth_codes ADD COLUMN link_subject VARCHAR(255);
ALTER TABLE oauth_codes ADD COLUMN link_email VARCHAR(320);
ALTER TABLE oauth_codes ADD COLUMN link_email_verified BOOLEAN;
