//! The HTTP test suite: one binary, one module per flow, all sharing
//! `helpers`.

mod helpers;

mod csrf;
mod login;
mod register;
mod sessions;
mod tracking;
