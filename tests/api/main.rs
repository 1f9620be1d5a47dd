//! The HTTP test suite: one binary, one module per flow, all sharing
//! `helpers`.

mod helpers;

mod change;
mod change_email;
mod cli;
mod config;
mod confirm;
mod csrf;
mod guards;
mod identity_cache;
mod languages;
mod layers;
mod limits;
mod login;
mod messages;
mod openapi;
mod pages;
mod password_strength;
mod passwordless;
mod recover;
mod recovery_codes;
mod register;
mod robustness;
mod sessions;
mod smtp;
mod templates;
mod threats_accounts;
mod threats_config;
mod threats_csrf;
mod tracking;
mod two_factor;
mod unified_signin;
mod username;
mod verify;
