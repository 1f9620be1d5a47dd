-- Tells every instance sharing this database to drop the identities it
-- cached whenever something a guard relies on changes (a user row, a
-- token's end or freshness, a role grant), whoever writes: the app, its
-- CLI, or raw SQL. NOTIFY is delivered at commit and takes no row lock,
-- so concurrent changes cannot deadlock on it (a counter row could).
-- Touching a token's last_used_at notifies nobody.
CREATE FUNCTION notify_auth_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('auth_changed', '');
    RETURN NULL;
END
$$;

CREATE TRIGGER users_auth_changed AFTER UPDATE OR DELETE ON users
FOR EACH STATEMENT EXECUTE FUNCTION notify_auth_changed();
CREATE TRIGGER user_tokens_deleted_auth_changed AFTER DELETE ON user_tokens
FOR EACH STATEMENT EXECUTE FUNCTION notify_auth_changed();
CREATE TRIGGER user_tokens_updated_auth_changed
AFTER UPDATE OF id, user_id, context, token_hash, created_at, primary_auth_at, fresh_until
ON user_tokens
FOR EACH STATEMENT EXECUTE FUNCTION notify_auth_changed();
CREATE TRIGGER roles_users_auth_changed AFTER INSERT OR UPDATE OR DELETE ON roles_users
FOR EACH STATEMENT EXECUTE FUNCTION notify_auth_changed();
CREATE TRIGGER roles_auth_changed AFTER UPDATE OR DELETE ON roles
FOR EACH STATEMENT EXECUTE FUNCTION notify_auth_changed();
