-- Usernames: an optional second identity. `username` is stored
-- NFKD-normalised as typed; `username_key` is its case-folded form, unique
-- (NULLs, accounts without a username, do not collide).
ALTER TABLE users ADD COLUMN username TEXT;
ALTER TABLE users ADD COLUMN username_key TEXT;
CREATE UNIQUE INDEX users_username_key ON users (username_key);
