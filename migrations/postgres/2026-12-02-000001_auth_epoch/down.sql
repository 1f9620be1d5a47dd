DROP TRIGGER users_auth_changed ON users;
DROP TRIGGER user_tokens_deleted_auth_changed ON user_tokens;
DROP TRIGGER user_tokens_updated_auth_changed ON user_tokens;
DROP TRIGGER roles_users_auth_changed ON roles_users;
DROP TRIGGER roles_auth_changed ON roles;
DROP FUNCTION notify_auth_changed();
