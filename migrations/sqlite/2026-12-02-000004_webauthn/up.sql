-- Passkeys (WebAuthn). Each account's user handle: 32 random bytes, made
-- once, the same for all its keys, never the email or the id.
CREATE TABLE webauthn_users (
    user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    user_handle BLOB NOT NULL UNIQUE
);
-- The keys. `credential` is the verifier's record (public key, algorithm,
-- counter, flags) as JSON; the columns beside it are what the pages list
-- and what is looked up. A credential id belongs to one account only.
CREATE TABLE webauthn_credentials (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    credential_id BLOB NOT NULL UNIQUE,
    usage TEXT NOT NULL,
    credential TEXT NOT NULL,
    transports TEXT NOT NULL,
    sign_count BIGINT NOT NULL,
    backup_eligible BOOLEAN NOT NULL,
    backup_state BOOLEAN NOT NULL,
    discoverable BOOLEAN,
    created_at TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP NOT NULL,
    UNIQUE (user_id, name)
);
-- A ceremony in progress (`wan_state`): kept here, not by the client, and
-- used up by the first request that reaches its step. `ceremony` is the
-- verifier's state (the challenge, the allowed keys) as JSON.
CREATE TABLE wan_states (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    state_hash BLOB NOT NULL UNIQUE,
    purpose TEXT NOT NULL,
    user_id INTEGER REFERENCES users (id) ON DELETE CASCADE,
    pending_hash BLOB,
    name TEXT,
    usage TEXT,
    remember BOOLEAN NOT NULL,
    ceremony TEXT NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX webauthn_credentials_user ON webauthn_credentials (user_id);
