-- Recovery codes: one-time codes that complete a pending two-factor
-- sign-in. Sealed with security.encryption_key (not hashed: the user may
-- view them again); `used_at` marks one that completed a sign-in.
CREATE TABLE recovery_codes (
    id SERIAL PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code BYTEA NOT NULL,
    used_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX recovery_codes_user_id ON recovery_codes (user_id);
