//! The flows, one module per Flask-Security flow: each owns its routes and
//! its forms and JSON, and calls the HTTP toolkit and the accounts layer.

pub mod change;
pub mod change_email;
pub mod confirm;
pub mod login;
pub mod messages;
pub mod oauth;
pub mod oauth_identities;
pub mod passwordless;
pub mod recover;
pub mod recovery_codes;
pub mod register;
pub mod routes;
pub mod sessions;
pub mod shared;
pub mod two_factor;
pub mod two_factor_validate;
pub mod unified_signin;
pub mod unified_signin_setup;
pub mod username;
pub mod verify;
pub mod webauthn;
pub mod webauthn_signin;

pub use routes::stage;
