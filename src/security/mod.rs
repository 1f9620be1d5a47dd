//! The security mechanism (Flask-Security's `Security` extension): config,
//! password hashing, sessions and CSRF, request guards, the accounts service
//! and the flows, assembled by [`stage`].

pub mod auth;
pub mod credential;
pub mod flows;
pub mod limits;
pub mod page;
pub mod password;
pub mod request;
pub mod roles;
pub mod service;
pub mod session;
pub mod tokens;

use crate::config::SecurityConfig;
use crate::db::Db;
use crate::error::Error;
use password::PasswordHasher;
use rocket::fairing::{AdHoc, Fairing, Info, Kind};
use rocket::http::Header;
use rocket::request::Request;
use rocket::{catch, catchers, Build, Orbit, Response, Rocket};
use rocket_db_pools::Database;

pub use auth::{BasicUser, CurrentUser, MaybeUser, SessionUser, TokenUser};
pub use roles::{AllRoles, AnyRole, HasRole};

/// Managed state: the validated configuration and the password hasher.
pub struct Security {
    pub config: SecurityConfig,
    pub hasher: PasswordHasher,
}

impl Security {
    pub fn new(config: SecurityConfig) -> Result<Self, String> {
        config.validate()?;
        let hasher = PasswordHasher::new(config.argon2.clone(), config.password_pepper.as_deref())
            .map_err(|e| e.to_string())?;
        Ok(Security { config, hasher })
    }
}

/// Reads and validates `[default.security]`, refuses an unsafe release
/// configuration, then mounts the flows, catchers and fairings.
pub fn stage() -> AdHoc {
    AdHoc::try_on_ignite("Security", |rocket| async {
        let security = match load(&rocket) {
            Ok(security) => security,
            Err(message) => {
                log::error!("security configuration: {message}");
                return Err(rocket);
            }
        };
        let base = if security.config.url_prefix.is_empty() {
            "/".to_owned()
        } else {
            security.config.url_prefix.clone()
        };
        let rocket = flows::mount(rocket, &base, &security.config);
        Ok(rocket
            .manage(security)
            .register(
                "/",
                catchers![
                    unauthorized,
                    forbidden,
                    bad_request,
                    not_found,
                    too_large,
                    unprocessable,
                    server_error,
                    too_many_requests,
                    any_other
                ],
            )
            .attach(SecurityHeaders)
            .attach(AdHoc::on_liftoff("Expired token purge", |rocket| {
                Box::pin(purge_periodically(rocket))
            })))
    })
}

/// A release build, or the release profile chosen in a debug one: where
/// the unsafe settings that are fine for development are refused.
pub fn is_release(figment: &rocket::figment::Figment) -> bool {
    !cfg!(debug_assertions) || figment.profile() == "release"
}

fn load(rocket: &Rocket<Build>) -> Result<Security, String> {
    let config = SecurityConfig::from_figment(rocket.figment())?;
    let release = is_release(rocket.figment());
    if release {
        config.argon2.validate_for_release()?;
    }
    if release {
        // Rocket itself refuses to launch in release without a secret key;
        // say why in terms of this app.
        let key_set = rocket.figment().find_value("secret_key").is_ok();
        if !key_set {
            return Err(
                "secret_key is not set: set ROCKET_SECRET_KEY (e.g. `openssl rand -base64 32`) \
                        so that session cookies survive restarts and cannot be forged"
                    .into(),
            );
        }
    }
    if release && config.sends_links() && config.public_url.is_none() {
        // Links built from the request's Host header could be pointed at an
        // attacker's site by a forged header (reset-link poisoning).
        return Err(
            "security.public_url is not set: emailed links need the site's real address, \
                    e.g. ROCKET_SECURITY='{public_url=\"https://example.com\"}'"
                .into(),
        );
    }
    Security::new(config)
}

/// Deletes expired tokens hourly, so the table does not grow without bound.
async fn purge_periodically(rocket: &Rocket<Orbit>) {
    let (Some(db), Some(security)) = (Db::fetch(rocket), rocket.state::<Security>()) else {
        return;
    };
    let pool: crate::db::DbPool = (**db).clone();
    let config = security.config.clone();
    let mut shutdown = rocket.shutdown();
    rocket::tokio::spawn(async move {
        let mut every_hour = rocket::tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            rocket::tokio::select! {
                _ = every_hour.tick() => {}
                _ = &mut shutdown => break,
            }
            let purged = match pool.connection().await {
                Ok(mut conn) => service::purge_expired_tokens(&mut conn, &config).await,
                Err(e) => Err(e.into()),
            };
            match purged {
                Ok(0) => {}
                Ok(n) => log::info!("purged {n} expired tokens"),
                Err(e) => log::warn!("token purge failed: {e}"),
            }
        }
    });
}

/// `/login?next=<this path>` under the configured prefix.
pub fn login_redirect(req: &Request<'_>) -> String {
    let login = req
        .rocket()
        .state::<Security>()
        .map(|s| s.config.url("/login"))
        .unwrap_or_else(|| "/login".into());
    let next = req.uri().to_string();
    let encoded = rocket::http::RawStr::new(&next)
        .percent_encode()
        .to_string();
    format!("{login}?next={encoded}")
}

/// What a page may load: only this site's own files, never framed.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

/// No caching of anything dynamic (pages carry CSRF tokens and personal
/// data), and the usual browser hardening headers.
struct SecurityHeaders;

#[rocket::async_trait]
impl Fairing for SecurityHeaders {
    fn info(&self) -> Info {
        Info {
            name: "Security headers",
            kind: Kind::Response,
        }
    }

    async fn on_response<'r>(&self, req: &'r Request<'_>, res: &mut Response<'r>) {
        if !req.uri().path().starts_with("/static/") {
            res.set_header(Header::new("Cache-Control", "private, no-store"));
        }
        res.set_header(Header::new("X-Content-Type-Options", "nosniff"));
        res.set_header(Header::new("X-Frame-Options", "DENY"));
        res.set_header(Header::new("Referrer-Policy", "same-origin"));
        if res.content_type().is_some_and(|ct| ct.is_html()) {
            // The shipped pages use no inline script or style; keep it so.
            res.set_header(Header::new(
                "Content-Security-Policy",
                CONTENT_SECURITY_POLICY,
            ));
        }
        let secure = req
            .rocket()
            .state::<Security>()
            .is_some_and(|s| s.config.secure_cookies());
        if secure {
            res.set_header(Header::new(
                "Strict-Transport-Security",
                "max-age=31536000; includeSubDomains",
            ));
        }
    }
}

#[catch(401)]
fn unauthorized(req: &Request<'_>) -> Error {
    let challenge = req
        .local_cache(|| auth::BasicChallenge(std::sync::Mutex::new(None)))
        .0
        .lock()
        .map(|c| c.clone())
        .unwrap_or(None);
    Error::Unauthenticated { challenge }
}

#[catch(403)]
fn forbidden() -> Error {
    Error::Forbidden
}

#[catch(400)]
fn bad_request() -> Error {
    Error::BadRequest("The request could not be understood.".into())
}

#[catch(404)]
fn not_found() -> Error {
    Error::NotFound
}

#[catch(413)]
fn too_large() -> Error {
    Error::TooLarge
}

#[catch(422)]
fn unprocessable() -> Error {
    Error::BadRequest("The request could not be understood.".into())
}

#[catch(500)]
fn server_error() -> Error {
    Error::Internal("unhandled server error".into())
}

#[catch(default)]
fn any_other(status: rocket::http::Status, _req: &Request<'_>) -> Error {
    Error::Status(status)
}

#[catch(429)]
fn too_many_requests(req: &Request<'_>) -> Error {
    let retry_after = req
        .local_cache(|| auth::Throttled(std::sync::Mutex::new(None)))
        .0
        .lock()
        .map(|r| r.unwrap_or(60))
        .unwrap_or(60);
    Error::TooManyRequests { retry_after }
}
