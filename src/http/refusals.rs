//! How a failed guard leaves its reason for the catcher: Rocket hands a
//! catcher only the status, so the Basic realm to challenge with, the
//! `Retry-After` of a throttled request and a not-fresh refusal wait here.

use crate::error::{Error, ReauthOptions};
use rocket::request::{Outcome, Request};

/// Rocket hands only a status to a catcher; the Basic realm to challenge
/// with waits here for the 401 catcher.
pub struct BasicChallenge(pub std::sync::Mutex<Option<String>>);

/// The `Retry-After` of a throttled guard, for the 429 catcher.
pub struct Throttled(pub std::sync::Mutex<Option<u64>>);

/// A not-fresh refusal, for the 401 catcher.
struct PendingReauth(std::sync::Mutex<Option<ReauthOptions>>);

/// Whether a guard of this request refused it as not fresh (and with what
/// options to re-authenticate).
pub fn reauth_pending(req: &Request<'_>) -> Option<ReauthOptions> {
    let slot = req.local_cache(|| PendingReauth(std::sync::Mutex::new(None)));
    slot.0.lock().unwrap_or_else(|p| p.into_inner()).clone()
}

/// Fails a guard with `error`, leaving what the catcher needs to reply.
pub fn fail<T>(req: &Request<'_>, error: Error) -> Outcome<T, Error> {
    if let Error::ReauthRequired(options) = &error {
        let slot = req.local_cache(|| PendingReauth(std::sync::Mutex::new(None)));
        *slot.0.lock().unwrap_or_else(|p| p.into_inner()) = Some(options.clone());
    }
    if let Error::TooManyRequests { retry_after } = &error {
        let slot = req.local_cache(|| Throttled(std::sync::Mutex::new(None)));
        *slot.0.lock().unwrap_or_else(|p| p.into_inner()) = Some(*retry_after);
    }
    if let Error::Unauthenticated {
        challenge: Some(realm),
    } = &error
    {
        let slot = req.local_cache(|| BasicChallenge(std::sync::Mutex::new(None)));
        *slot.0.lock().unwrap_or_else(|p| p.into_inner()) = Some(realm.clone());
    }
    Outcome::Error((error.status(), error))
}
