//! The flows stage: mounts each enabled flow under `security.url_prefix`.

use crate::accounts::state::Security;
use crate::config::SecurityConfig;
use crate::flows::change;
use crate::flows::change_email;
use crate::flows::confirm;
use crate::flows::login;
use crate::flows::oauth;
use crate::flows::oauth_identities;
use crate::flows::passwordless;
use crate::flows::recover;
use crate::flows::recovery_codes;
use crate::flows::register;
use crate::flows::sessions;
use crate::flows::two_factor;
use crate::flows::two_factor_validate;
use crate::flows::unified_signin;
use crate::flows::unified_signin_setup;
use crate::flows::username;
use crate::flows::verify;
use crate::flows::webauthn;
use crate::flows::webauthn_signin;
use rocket::fairing::AdHoc;
use rocket::{Build, Rocket};

pub fn stage() -> AdHoc {
    AdHoc::try_on_ignite("Flows", |rocket| async {
        let Some(config) = rocket.state::<Security>().map(|s| s.config.clone()) else {
            // The accounts stage failed and said why; launch is already off.
            return Err(rocket);
        };
        let base = if config.url_prefix.is_empty() {
            "/".to_owned()
        } else {
            config.url_prefix.clone()
        };
        Ok(mount(rocket, &base, &config))
    })
}

/// Mounts the enabled flows under `base`.
fn mount(rocket: Rocket<Build>, base: &str, config: &SecurityConfig) -> Rocket<Build> {
    let mut rocket = rocket
        .mount(base, login::routes())
        .mount(base, sessions::routes())
        .mount(base, verify::routes());
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
    if config.two_factor {
        rocket = rocket
            .mount(base, two_factor::routes())
            .mount(base, two_factor_validate::routes());
    }
    if config.change_email {
        rocket = rocket.mount(base, change_email::routes());
    }
    if config.username_recovery {
        rocket = rocket.mount(base, username::recovery_routes());
    }
    if config.change_username {
        rocket = rocket.mount(base, username::change_routes());
    }
    if config.unified_signin {
        rocket = rocket
            .mount(base, unified_signin::routes())
            .mount(base, unified_signin_setup::routes());
    }
    if config.recovery_codes {
        rocket = rocket.mount(base, recovery_codes::routes());
    }
    if config.webauthn.enabled {
        let verify = !config.webauthn.allow_as_verify.is_empty() && !config.freshness.is_negative();
        rocket = rocket
            .mount(base, webauthn::routes())
            .mount(base, webauthn_signin::routes(verify));
    }
    if config.oauth.enabled() {
        let verify = !config.freshness.is_negative();
        rocket = rocket
            .mount(base, oauth::routes())
            .mount(base, oauth_identities::routes(verify));
    }
    if config.changeable {
        rocket = rocket.mount(base, change::routes());
    }
    rocket
}
