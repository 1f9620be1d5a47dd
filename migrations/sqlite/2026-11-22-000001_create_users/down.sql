DROP TABLE user_tokens;
DROP TABLE roles_users;
DROP TABLE roles;
DROP TABLE users;
