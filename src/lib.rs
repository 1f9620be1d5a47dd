//! A Rocket application with Flask-Security's features built in: sessions
//! with remember-me, registration, argon2id passwords, CSRF, login tracking,
//! auth tokens, HTTP Basic and role guards.
//!
//! [`rocket`] builds the app from `Rocket.toml` and `ROCKET_*` variables;
//! [`rocket_from`] from any figment, which is how the tests configure it.

pub mod app;
pub mod cli;
pub mod config;
pub mod db;
pub mod domain;
pub mod error;
pub mod mail;
pub mod models;
pub mod security;

use rocket::figment::Figment;
use rocket::fs::{relative, FileServer};
use rocket::{Build, Rocket};
use rocket_dyn_templates::Template;

/// The configuration: Rocket's defaults, `Rocket.toml`, then `ROCKET_*`.
pub fn figment() -> Figment {
    rocket::Config::figment()
}

pub fn rocket() -> Rocket<Build> {
    rocket_from(figment())
}

pub fn rocket_from(figment: Figment) -> Rocket<Build> {
    rocket::custom(figment)
        // The database first: every later stage's requests need it.
        .attach(db::stage())
        // Sessions, CSRF, guards and the security flows.
        .attach(security::stage())
        // The mailer and the mail templates (needs the security config).
        .attach(mail::stage())
        // Strict: a template that names a value its page does not provide
        // is an error, caught by the tests, instead of a silently blank spot.
        .attach(Template::custom(|engines| {
            engines.handlebars.set_strict_mode(true)
        }))
        // The application's own pages and API.
        .attach(app::stage())
        .mount("/static", FileServer::from(relative!("static")))
}
