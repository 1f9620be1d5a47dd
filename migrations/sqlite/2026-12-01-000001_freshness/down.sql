ALTER TABLE user_tokens DROP COLUMN fresh_until;
ALTER TABLE user_tokens DROP COLUMN primary_auth_at;
