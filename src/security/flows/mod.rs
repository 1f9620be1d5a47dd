//! One module per Flask-Security flow; each owns its routes and form
//! handling and calls the accounts service.

pub mod change;
pub mod confirm;
pub mod login;
pub mod passwordless;
pub mod recover;
pub mod register;

use crate::config::SecurityConfig;
use rocket::{Build, Rocket};

/// Messages shared by several flows, worded as Flask-Security words them.
pub mod messages {
    pub const EMAIL_NOT_PROVIDED: &str = "Email not provided";
    pub const PASSWORD_NOT_PROVIDED: &str = "Password not provided";
    pub const USER_DOES_NOT_EXIST: &str = "Specified user does not exist";
    pub const INVALID_PASSWORD: &str = "Invalid password";
    pub const GENERIC_AUTHN_FAILED: &str =
        "Authentication failed - identity or password/passcode invalid";
    pub const DISABLED_ACCOUNT: &str = "Account is disabled.";
    pub const CONFIRMATION_REQUIRED: &str = "Email requires confirmation.";
    pub const PASSWORDS_DO_NOT_MATCH: &str = "Passwords do not match";
    pub const INVALID_REDIRECT: &str = "Redirections outside the domain are forbidden";
}

/// Mounts the enabled flows under `base`.
pub fn mount(rocket: Rocket<Build>, base: &str, config: &SecurityConfig) -> Rocket<Build> {
    let mut rocket = rocket.mount(base, login::routes());
    if config.registerable {
        rocket = rocket.mount(base, register::routes());
    }
    if config.confirmable {
        rocket = rocket.mount(base, confirm::routes());
    }
    if config.recoverable {
        rocket = rocket.mount(base, recover::routes());
    }
    if config.passwordless {
        rocket = rocket.mount(base, passwordless::routes());
    }
    if config.changeable {
        rocket = rocket.mount(base, change::routes());
    }
    rocket
}
