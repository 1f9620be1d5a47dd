//! The accounts layer: the only code that changes users, sessions, tokens
//! and limits (Phoenix's `Accounts` context, Flask-Security's datastore
//! calls), one file per concern. Flows, guards and the CLI call these; none
//! of them touch Diesel, and nothing here knows about HTTP.

pub mod admin;
pub mod audit;
pub mod change_email;
pub mod hasher;
pub mod identities;
pub mod limits;
pub mod oauth;
pub mod oauth_github;
pub mod oauth_id_token;
pub mod oauth_proof;
pub mod oauth_provider;
pub mod password_strength;
pub mod passwords;
pub mod phc;
pub mod recovery_codes;
pub mod registration;
pub mod sessions;
pub mod sign_in;
pub mod stage;
pub mod state;
pub mod tokens;
pub mod two_factor;
pub mod unified_signin;
pub mod username;
pub mod vault;
pub mod webauthn;
pub mod webauthn_signin;

pub use stage::stage;
pub use state::Security;
