-- Users, roles and the single hashed-token table (PostgreSQL).
-- Times are UTC in TIMESTAMP columns, as on SQLite, so one schema.rs serves both.
CREATE TABLE users (
    id SERIAL PRIMARY KEY,
    -- The address as the user typed it (domain lower-cased) ...
    email TEXT NOT NULL,
    -- ... and its case-folded form, which is what must be unique.
    email_key TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    confirmed_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    last_login_at TIMESTAMP,
    current_login_at TIMESTAMP,
    last_login_ip TEXT,
    current_login_ip TEXT,
    login_count INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX users_email_key ON users (email_key);

CREATE TABLE roles (
    id SERIAL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    description TEXT
);

CREATE TABLE roles_users (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role_id INTEGER NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, role_id)
);
CREATE INDEX roles_users_role_id ON roles_users (role_id);

CREATE TABLE user_tokens (
    id SERIAL PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    context TEXT NOT NULL,
    token_hash BYTEA NOT NULL,
    sent_to TEXT,
    created_at TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP NOT NULL,
    ip TEXT,
    user_agent TEXT,
    UNIQUE (context, token_hash)
);
CREATE INDEX user_tokens_user_id ON user_tokens (user_id, context);
