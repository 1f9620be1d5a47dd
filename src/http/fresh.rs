//! Freshness (Flask-Security's `auth_required(within=…)`): a guard for the
//! routes that want a recent proof of who is asking — changing the email
//! address, two-factor settings, passkeys — not just any signed-in request.
//!
//! `Fresh<G>` runs the user guard `G` (by default [`SignedIn`]: a session or
//! an auth token, never HTTP Basic), then asks the accounts layer whether
//! its credential is fresh. A stale one is a 401 with `reauth_required` for
//! JSON, a redirect to `/verify?next=…` for browsers; the user stays signed
//! in either way.
//!
//! ```
//! use app::http::{Fresh, HasRole};
//! use rocket::get;
//! app::role!(pub Admin = "admin");
//!
//! #[get("/billing")]
//! fn billing(user: Fresh) -> String { user.email.clone() }
//!
//! #[get("/admin/keys")]
//! fn keys(admin: Fresh<HasRole<Admin>>) -> String { admin.email.clone() }
//! # fn main() { let _ = rocket::routes![billing, keys]; }
//! ```

use crate::accounts::sessions::check_fresh;
use crate::accounts::state::Security;
use crate::accounts::webauthn_signin::has_verify_key;
use crate::config::AuthMethod;
use crate::db::{Db, DbConn};
use crate::error::{Error, ReauthOptions};
use crate::http::guards::{Authenticated, SignedIn};
use crate::http::refusals::fail;
use rocket::request::{FromRequest, Outcome, Request};
use rocket_db_pools::Database;

/// `G`, signed in recently enough (`security.freshness`).
#[derive(Debug, Clone)]
pub struct Fresh<G = SignedIn>(pub G);

impl<G> std::ops::Deref for Fresh<G> {
    type Target = G;
    fn deref(&self) -> &G {
        &self.0
    }
}

/// What a client may re-authenticate with, as the not-fresh reply says.
pub async fn reauth_options(
    conn: &mut DbConn,
    security: &Security,
    user_id: i32,
) -> Result<ReauthOptions, Error> {
    let config = &security.config;
    // The providers re-authenticate only while freshness is on.
    let oauth_providers = if config.freshness.is_negative() {
        Vec::new()
    } else {
        config
            .oauth
            .names()
            .into_iter()
            .map(str::to_owned)
            .collect()
    };
    Ok(ReauthOptions {
        unified_signin_enabled: config.unified_signin,
        has_webauthn_verify_credential: has_verify_key(conn, config, user_id).await?,
        oauth_providers,
    })
}

/// The not-fresh reply's options for `auth`'s account.
async fn options_for(req: &Request<'_>, auth: &Authenticated) -> Result<ReauthOptions, Error> {
    let security = req
        .rocket()
        .state::<Security>()
        .ok_or_else(|| Error::Internal("security state missing".into()))?;
    let db = Db::fetch(req.rocket()).ok_or_else(|| Error::Internal("database missing".into()))?;
    let mut conn = db.connection().await?;
    reauth_options(&mut conn, security, auth.user.id).await
}

async fn is_fresh(req: &Request<'_>, auth: &Authenticated) -> Result<bool, Error> {
    let security = req
        .rocket()
        .state::<Security>()
        .ok_or_else(|| Error::Internal("security state missing".into()))?;
    let (Some(token_id), true) = (auth.token_id, auth.method != AuthMethod::Basic) else {
        return Ok(false);
    };
    let db = Db::fetch(req.rocket()).ok_or_else(|| Error::Internal("database missing".into()))?;
    let mut conn = db.connection().await?;
    let session = auth.method == AuthMethod::Session;
    check_fresh(&mut conn, &security.config, token_id, session, auth.proof).await
}

#[rocket::async_trait]
impl<'r, G> FromRequest<'r> for Fresh<G>
where
    G: FromRequest<'r, Error = Error> + std::ops::Deref<Target = Authenticated> + Send,
{
    type Error = Error;

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Error> {
        let inner = match G::from_request(req).await {
            Outcome::Success(inner) => inner,
            Outcome::Error(e) => return Outcome::Error(e),
            Outcome::Forward(status) => return Outcome::Forward(status),
        };
        if inner.method == AuthMethod::Basic {
            // Freshness is for sessions and tokens; Basic is not accepted.
            return fail(req, Error::Unauthenticated { challenge: None });
        }
        match is_fresh(req, &inner).await {
            Ok(true) => Outcome::Success(Fresh(inner)),
            Ok(false) => match options_for(req, &inner).await {
                Ok(options) => fail(req, Error::ReauthRequired(options)),
                Err(e) => fail(req, e),
            },
            Err(e) => fail(req, e),
        }
    }
}
