-- Unified sign-in: the code methods each account has set up at /us-setup
-- (today only "email"). The password method comes with the account and
-- the authenticator with two-factor, so neither has a row here.
CREATE TABLE us_methods (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    method TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, method)
);
