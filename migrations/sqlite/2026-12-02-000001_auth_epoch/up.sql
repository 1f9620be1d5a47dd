-- The auth epoch: a counter that moves whenever something a guard relies
-- on changes (a user row, a token's end or freshness, a role grant), so
-- every instance sharing this database can drop the identities it cached.
-- Triggers keep it in step whoever writes: the app, its CLI, or raw SQL.
-- Touching a token's last_used_at does not move it.
CREATE TABLE auth_epoch (
    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    value BIGINT NOT NULL
);
INSERT INTO auth_epoch (id, value) VALUES (1, 0);

CREATE TRIGGER users_update_moves_auth_epoch AFTER UPDATE ON users
BEGIN UPDATE auth_epoch SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER users_delete_moves_auth_epoch AFTER DELETE ON users
BEGIN UPDATE auth_epoch SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER user_tokens_delete_moves_auth_epoch AFTER DELETE ON user_tokens
BEGIN UPDATE auth_epoch SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER user_tokens_update_moves_auth_epoch
AFTER UPDATE OF id, user_id, context, token_hash, created_at, primary_auth_at, fresh_until
ON user_tokens
BEGIN UPDATE auth_epoch SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER roles_users_insert_moves_auth_epoch AFTER INSERT ON roles_users
BEGIN UPDATE auth_epoch SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER roles_users_update_moves_auth_epoch AFTER UPDATE ON roles_users
BEGIN UPDATE auth_epoch SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER roles_users_delete_moves_auth_epoch AFTER DELETE ON roles_users
BEGIN UPDATE auth_epoch SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER roles_update_moves_auth_epoch AFTER UPDATE ON roles
BEGIN UPDATE auth_epoch SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER roles_delete_moves_auth_epoch AFTER DELETE ON roles
BEGIN UPDATE auth_epoch SET value = value + 1 WHERE id = 1; END;
