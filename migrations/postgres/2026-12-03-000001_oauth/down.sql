DROP TABLE oauth_states;
DROP TABLE oauth_identities;
