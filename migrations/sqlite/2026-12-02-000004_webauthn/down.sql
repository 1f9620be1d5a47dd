DROP TABLE wan_states;
DROP TABLE webauthn_credentials;
DROP TABLE webauthn_users;
