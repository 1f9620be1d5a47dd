-- OAuth and OpenID Connect. A provider's identity (its name in the
-- configuration and the subject it gives) belongs to one account; the email
-- is the one it had when linked, so a change at the provider keeps the link.
CREATE TABLE oauth_identities (
    id SERIAL PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    provider TEXT NOT NULL,
    subject TEXT NOT NULL,
    email TEXT NOT NULL,
    linked_at TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP,
    UNIQUE (provider, subject),
    UNIQUE (user_id, provider)
);
-- A flow in progress, under the hash of its `state`: bound to the browser
-- that started it (the hash of its flow cookie) and used up by the first
-- callback that presents the state.
CREATE TABLE oauth_states (
    id SERIAL PRIMARY KEY,
    state_hash BYTEA NOT NULL UNIQUE,
    browser_hash BYTEA NOT NULL,
    purpose TEXT NOT NULL,
    provider TEXT NOT NULL,
    nonce TEXT NOT NULL,
    verifier TEXT NOT NULL,
    next TEXT,
    user_id INTEGER REFERENCES users (id) ON DELETE CASCADE,
    expires_at TIMESTAMP NOT NULL
);
