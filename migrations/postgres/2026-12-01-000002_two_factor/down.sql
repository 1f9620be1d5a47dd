ALTER TABLE user_tokens DROP COLUMN data;
DROP TABLE two_factor;
