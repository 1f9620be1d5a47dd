-- Freshness (re-authentication): when the credential's holder last proved
-- who they are, and until when a passed check keeps passing (sessions).
ALTER TABLE user_tokens ADD COLUMN primary_auth_at TIMESTAMP;
ALTER TABLE user_tokens ADD COLUMN fresh_until TIMESTAMP;
