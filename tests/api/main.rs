//! The HTTP test suite: one binary, one module per flow, all sharing
//! `helpers`.

mod helpers;

mod change;
mod cli;
mod config;
mod csrf;
mod guards;
mod login;
mod register;
mod sessions;
mod tracking;
