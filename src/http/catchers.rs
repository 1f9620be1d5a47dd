//! The catchers: every status Rocket itself answers (a failed guard, an
//! unknown route, a body too large) gets the JSON envelope or the error
//! page, like any handler's error. And where an anonymous browser is sent.

use crate::accounts::state::Security;
use crate::error::Error;
use crate::http::guards;
use crate::http::refusals::{self, BasicChallenge, Throttled};
use rocket::request::Request;
use rocket::{catch, catchers, Catcher};

/// Every catcher, registered at `/`.
pub fn all() -> Vec<Catcher> {
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
    ]
}

/// `/login?next=<this path>` under the configured prefix.
pub fn login_redirect(req: &Request<'_>) -> String {
    redirect_with_next(req, "/login")
}

/// `/verify?next=<this path>` (`/us-verify` with unified sign-in on):
/// where a browser whose sign-in is not fresh proves who it is again.
pub fn verify_redirect(req: &Request<'_>) -> String {
    let unified = req
        .rocket()
        .state::<Security>()
        .is_some_and(|s| s.config.unified_signin);
    redirect_with_next(req, if unified { "/us-verify" } else { "/verify" })
}

fn redirect_with_next(req: &Request<'_>, path: &str) -> String {
    let to = req
        .rocket()
        .state::<Security>()
        .map(|s| s.config.url(path))
        .unwrap_or_else(|| path.into());
    let next = req.uri().to_string();
    let encoded = rocket::http::RawStr::new(&next)
        .percent_encode()
        .to_string();
    format!("{to}?next={encoded}")
}

#[catch(401)]
fn unauthorized(req: &Request<'_>) -> Error {
    if let Some(options) = refusals::reauth_pending(req) {
        return Error::ReauthRequired(options);
    }
    let challenge = req
        .local_cache(|| BasicChallenge(std::sync::Mutex::new(None)))
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

/// Looks up who is signed in before an error page renders, so its
/// navigation shows them (JSON replies have no navigation).
async fn load_viewer(req: &Request<'_>) {
    if !crate::http::input::wants_json(req) {
        guards::viewer(req).await;
    }
}

#[catch(400)]
async fn bad_request(req: &Request<'_>) -> Error {
    load_viewer(req).await;
    Error::BadRequest(crate::error::BAD_REQUEST.into())
}

#[catch(404)]
async fn not_found(req: &Request<'_>) -> Error {
    load_viewer(req).await;
    Error::NotFound
}

#[catch(413)]
fn too_large() -> Error {
    Error::TooLarge
}

#[catch(422)]
async fn unprocessable(req: &Request<'_>) -> Error {
    load_viewer(req).await;
    Error::BadRequest(crate::error::BAD_REQUEST.into())
}

#[catch(500)]
fn server_error() -> Error {
    Error::Internal("unhandled server error".into())
}

#[catch(default)]
async fn any_other(status: rocket::http::Status, req: &Request<'_>) -> Error {
    load_viewer(req).await;
    Error::Status(status)
}

#[catch(429)]
fn too_many_requests(req: &Request<'_>) -> Error {
    let retry_after = req
        .local_cache(|| Throttled(std::sync::Mutex::new(None)))
        .0
        .lock()
        .map(|r| r.unwrap_or(60))
        .unwrap_or(60);
    Error::TooManyRequests { retry_after }
}
