//! A Rocket application with Flask-Security's features built in: sessions
//! with remember-me, registration, argon2id passwords, CSRF, login tracking,
//! auth tokens, HTTP Basic and role guards. This file assembles the stages.
//!
//! [`rocket`] builds the app from `Rocket.toml` and `ROCKET_*` variables;
//! [`rocket_from`] from any figment, which is how the tests configure it.

// The layers, top first; each uses only those below it (README "Layout",
// checked by scripts/check_layers.py).
pub mod accounts;
pub mod app;
pub mod cli;
pub mod config;
pub mod db;
pub mod domain;
pub mod error;
pub mod flows;
pub mod http;
pub mod i18n;
pub mod logging;
pub mod mail;
pub mod models;

use rocket::figment::providers::{Env, Format, Serialized, Toml};
use rocket::figment::{Figment, Profile};
use rocket::{Build, Rocket};
use rocket_dyn_templates::Template;

/// The configuration: Rocket's defaults, `Rocket.toml` (or the file named
/// by `ROCKET_CONFIG`), then `ROCKET_*` variables.
pub fn figment() -> Figment {
    let file = Env::var_or("ROCKET_CONFIG", "Rocket.toml");
    figment_from_file(file)
        .merge(Env::prefixed("ROCKET_").ignore(&["PROFILE"]).global())
        .select(Profile::from_env_or(
            "ROCKET_PROFILE",
            rocket::Config::DEFAULT_PROFILE,
        ))
}

/// The catalog the page templates read (`{{t "KEY"}}`), with the
/// configured rewordings. A configuration the accounts stage will refuse
/// (and so stop the launch, naming the key) gets the plain catalog here.
fn page_catalog(figment: &Figment) -> i18n::Catalog {
    config::SecurityConfig::from_figment(figment)
        .ok()
        .and_then(|c| i18n::Catalog::new(&c.messages, &c.default_locale).ok())
        .unwrap_or_else(|| {
            i18n::Catalog::new(&Default::default(), "en").expect("the shipped catalog loads")
        })
}

/// Rocket's defaults, with the safe ones pinned here, under `file`.
///
/// Rocket by itself trusts `X-Real-IP` for the client address, so any client
/// could pick the IP its rate limits and login tracking see; the starter
/// takes the peer address unless the operator names a proxy header, so the
/// binary is safe even with no `Rocket.toml` at all.
pub fn figment_from_file(file: impl AsRef<std::path::Path>) -> Figment {
    Figment::from(rocket::Config::default())
        .merge(Serialized::default("ip_header", false))
        .merge(Toml::file(file.as_ref()).nested())
        .select(rocket::Config::DEFAULT_PROFILE)
}

pub fn rocket() -> Rocket<Build> {
    rocket_from(figment())
}

pub fn rocket_from(figment: Figment) -> Rocket<Build> {
    // Before Rocket installs its own: request lines carry tokens.
    logging::install(&figment);
    let catalog = std::sync::Arc::new(page_catalog(&figment));
    rocket::custom(figment)
        // The database first: every later stage's requests need it.
        .attach(db::stage())
        // The accounts layer's state: the checked configuration and the
        // password hasher; refuses an unsafe configuration.
        .attach(accounts::stage())
        // The mailer and the mail templates.
        .attach(mail::stage())
        // Catchers, response headers and the static files.
        .attach(http::stage())
        // The security flows, and the app's own registration fields.
        .attach(flows::stage())
        .manage(http::registration::RegistrationForm::of::<
            app::registration::ExtraFields,
        >())
        // Strict: a template that names a value its page does not provide
        // is an error, caught by the tests, instead of a silently blank spot.
        .attach(Template::custom(move |engines| {
            engines.handlebars.set_strict_mode(true);
            // `{{t "KEY"}}`: the pages' words from the message catalog.
            let helper = i18n::TranslateHelper(catalog.clone());
            engines.handlebars.register_helper("t", Box::new(helper));
            engines
                .handlebars
                .register_helper("breakable", Box::new(http::page::breakable));
        }))
        // The application's own pages and API.
        .attach(app::stage())
}
