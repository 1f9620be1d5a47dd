-- Two-factor: each user's active second factor. `secret` is the TOTP
-- secret sealed with security.encryption_key (NULL for mailed codes);
-- `last_step` is the last TOTP step accepted, so no code works twice.
CREATE TABLE two_factor (
    user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    method TEXT NOT NULL,
    secret BLOB,
    last_step BIGINT,
    created_at TIMESTAMP NOT NULL
);
-- Sealed protocol state of a token (a started two-factor setup).
ALTER TABLE user_tokens ADD COLUMN data BLOB;
