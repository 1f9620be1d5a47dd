//! The session cookie and the remember-me cookie (Flask-Login's session and
//! `remember_token`), and the CSRF token bound to the session.
//!
//! The `session` cookie is private (encrypted and authenticated with Rocket's
//! `secret_key`), HttpOnly and SameSite=Lax. It holds the CSRF seed and, once
//! signed in, the session token — whose hash is a `user_tokens` row, so a
//! session can be ended server-side. `remember_token` is a second private
//! cookie with its own long-lived token.
//!
//! A request that presents an auth token is not a browser's: its jar is
//! *detached* — it reads no cookie and writes none (see [`Credential`]).
//! The CSRF seed is replaced at every change of identity, so a token learnt
//! or planted before sign-in is worthless after it.

use crate::accounts::state::Security;
use crate::error::Error;
use crate::http::credential::Credential;
use crate::i18n::Msg;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use rand::RngCore;
use rocket::http::{Cookie, CookieJar, SameSite};
use rocket::request::Request;
use serde::{Deserialize, Serialize};
use std::sync::Mutex;
use subtle::ConstantTimeEq;

pub const SESSION_COOKIE: &str = "session";
pub const REMEMBER_COOKIE: &str = "remember_token";
/// Binds an OAuth flow to the browser that started it (10 minutes).
pub const OAUTH_FLOW_COOKIE: &str = "oauth_flow";
pub const CSRF_MISSING: Msg = Msg("CSRF_MISSING");
pub const CSRF_INVALID: Msg = Msg("CSRF_INVALID");

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct SessionState {
    /// 32 random bytes, base64url; the secret behind the CSRF tokens.
    #[serde(rename = "c", default, skip_serializing_if = "Option::is_none")]
    csrf_seed: Option<String>,
    /// The session token (its hash is in `user_tokens`).
    #[serde(rename = "t", default, skip_serializing_if = "Option::is_none")]
    token: Option<String>,
    /// A message for the next page (kind, text). Kept here, in the private
    /// cookie, rather than in Rocket's plain `_flash` cookie: it can hold
    /// the address someone typed.
    #[serde(rename = "f", default, skip_serializing_if = "Option::is_none")]
    flash: Option<(String, String)>,
    /// The account this browser registered and has not confirmed yet: a
    /// confirmation link followed here keeps the password chosen here.
    #[serde(rename = "r", default, skip_serializing_if = "Option::is_none")]
    registered: Option<i32>,
    /// The token of a sign-in waiting for its second factor: it binds the
    /// pending sign-in to this browser.
    #[serde(rename = "p", default, skip_serializing_if = "Option::is_none")]
    pending: Option<String>,
    /// What was typed into a form that came back expired (never a
    /// password), to fill the form again.
    #[serde(rename = "k", default, skip_serializing_if = "Option::is_none")]
    typed: Option<Vec<(String, String)>>,
}

/// The request's session cookie state, read once and written through, so
/// that later reads in the same request see earlier writes.
struct SessionCell(Mutex<SessionState>);

pub struct SessionJar<'r> {
    cookies: &'r CookieJar<'r>,
    cell: &'r SessionCell,
    security: &'r Security,
    /// The request is token-authenticated: no cookie is read or written.
    detached: bool,
}

impl<'r> SessionJar<'r> {
    pub fn new(req: &'r Request<'_>, security: &'r Security) -> Self {
        let cookies = req.cookies();
        let detached = Credential::of(req, security).is_token();
        let cell = req.local_cache(|| {
            let state = if detached {
                SessionState::default()
            } else {
                cookies
                    .get_private(SESSION_COOKIE)
                    .and_then(|c| serde_json::from_str(c.value()).ok())
                    .unwrap_or_default()
            };
            SessionCell(Mutex::new(state))
        });
        SessionJar {
            cookies,
            cell,
            security,
            detached,
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, SessionState> {
        self.cell
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn save(&self, state: &SessionState) {
        if self.detached {
            return;
        }
        let value = serde_json::to_string(state).unwrap_or_default();
        // No Max-Age: the cookie ends with the browser; the server ends an
        // idle session after `session_idle_timeout` whatever the cookie says.
        let cookie = Cookie::build((SESSION_COOKIE, value))
            .path("/")
            .http_only(true)
            .same_site(SameSite::Lax)
            .secure(self.security.config.secure_cookies())
            // Rocket gives private cookies a week by default; this one is a
            // browser-session cookie.
            .expires(None::<rocket::time::OffsetDateTime>);
        self.cookies.add_private(cookie);
    }

    pub fn session_token(&self) -> Option<String> {
        self.state().token.clone()
    }

    /// Puts a new session token in the cookie, keeping the CSRF seed.
    pub fn set_session_token(&self, token: &str) {
        let mut state = self.state();
        state.token = Some(token.to_owned());
        self.save(&state);
    }

    /// Drops a session token the server no longer knows.
    pub fn forget_session_token(&self) {
        let mut state = self.state();
        if state.token.take().is_some() {
            self.save(&state);
        }
    }

    /// A new CSRF seed, at every change of identity (sign-in, restoring a
    /// session from remember-me, a password change): CSRF tokens issued
    /// before — or planted with a cookie before — stop working.
    pub fn rotate_csrf(&self) {
        let mut state = self.state();
        state.csrf_seed = Some(new_seed().1);
        self.save(&state);
    }

    /// Shows `message` on the next page this browser renders.
    pub fn set_flash(&self, kind: &str, message: &str) {
        let mut state = self.state();
        state.flash = Some((kind.to_owned(), message.to_owned()));
        self.save(&state);
    }

    /// The message left for this page, removed so it shows once.
    pub fn take_flash(&self) -> Option<(String, String)> {
        let mut state = self.state();
        let flash = state.flash.take();
        if flash.is_some() {
            self.save(&state);
        }
        flash
    }

    /// Fills the next form this browser renders with `fields`.
    pub fn set_typed(&self, fields: Vec<(String, String)>) {
        let mut state = self.state();
        state.typed = Some(fields);
        self.save(&state);
    }

    /// The values left for this page's form, removed so they show once.
    pub fn take_typed(&self) -> Vec<(String, String)> {
        let mut state = self.state();
        let typed = state.typed.take();
        if typed.is_some() {
            self.save(&state);
        }
        typed.unwrap_or_default()
    }

    /// Binds a pending two-factor sign-in to this browser.
    pub fn set_pending(&self, token: &str) {
        let mut state = self.state();
        state.pending = Some(token.to_owned());
        self.save(&state);
    }

    pub fn pending(&self) -> Option<String> {
        self.state().pending.clone()
    }

    pub fn clear_pending(&self) {
        let mut state = self.state();
        if state.pending.take().is_some() {
            self.save(&state);
        }
    }

    /// Remembers that this browser registered `user_id`.
    pub fn set_registered(&self, user_id: i32) {
        let mut state = self.state();
        state.registered = Some(user_id);
        self.save(&state);
    }

    /// Whether this browser registered `user_id`.
    pub fn registered(&self, user_id: i32) -> bool {
        self.state().registered == Some(user_id)
    }

    /// Ends the browser's session: both cookies go, and with them the CSRF
    /// seed, so tokens from before sign-out stop working.
    pub fn clear(&self) {
        *self.state() = SessionState::default();
        if self.detached {
            return;
        }
        self.cookies
            .remove_private(Cookie::build(SESSION_COOKIE).path("/"));
        self.cookies
            .remove_private(Cookie::build(REMEMBER_COOKIE).path("/"));
    }

    pub fn remember_token(&self) -> Option<String> {
        if self.detached {
            return None;
        }
        self.cookies
            .get_private(REMEMBER_COOKIE)
            .map(|c| c.value().to_owned())
    }

    pub fn set_remember_token(&self, token: &str) {
        if self.detached {
            return;
        }
        let max_age = self.security.config.remember_for.0;
        let cookie = Cookie::build((REMEMBER_COOKIE, token.to_owned()))
            .path("/")
            .http_only(true)
            .same_site(SameSite::Lax)
            .secure(self.security.config.secure_cookies())
            .max_age(rocket::time::Duration::seconds(max_age.whole_seconds()));
        self.cookies.add_private(cookie);
    }

    /// Binds the OAuth flow this browser starts. Lax, since the callback is
    /// a navigation from the provider's site.
    pub fn set_oauth_flow(&self, token: &str) {
        let cookie = Cookie::build((OAUTH_FLOW_COOKIE, token.to_owned()))
            .path("/")
            .http_only(true)
            .same_site(SameSite::Lax)
            .secure(self.security.config.secure_cookies())
            .max_age(rocket::time::Duration::minutes(10));
        self.cookies.add_private(cookie);
    }

    /// The binding of this browser's OAuth flow, removed: it serves one
    /// callback.
    pub fn take_oauth_flow(&self) -> Option<String> {
        let found = self.cookies.get_private(OAUTH_FLOW_COOKIE)?;
        self.cookies
            .remove_private(Cookie::build(OAUTH_FLOW_COOKIE).path("/"));
        Some(found.value().to_owned())
    }

    pub fn forget_remember_token(&self) {
        if self.detached {
            return;
        }
        self.cookies
            .remove_private(Cookie::build(REMEMBER_COOKIE).path("/"));
    }

    /// A CSRF token for the client to send back. Each call gives a different
    /// string (the seed XOR a fresh mask) so a compressed page cannot leak the
    /// seed (BREACH); all of them verify.
    pub fn csrf_token(&self) -> String {
        let seed = {
            let mut state = self.state();
            match state.csrf_seed.as_deref().and_then(decode_seed) {
                Some(seed) => seed,
                None => {
                    let (seed, encoded) = new_seed();
                    state.csrf_seed = Some(encoded);
                    self.save(&state);
                    seed
                }
            }
        };
        let mut mask = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut mask);
        let mut token = mask.to_vec();
        token.extend(mask.iter().zip(seed.iter()).map(|(m, s)| m ^ s));
        URL_SAFE_NO_PAD.encode(token)
    }

    pub fn verify_csrf(&self, supplied: Option<&str>) -> Result<(), Error> {
        let supplied = supplied
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .ok_or(Error::Csrf(CSRF_MISSING))?;
        let seed = self
            .state()
            .csrf_seed
            .as_deref()
            .and_then(decode_seed)
            .ok_or(Error::Csrf(CSRF_INVALID))?;
        let bytes = URL_SAFE_NO_PAD
            .decode(supplied)
            .map_err(|_| Error::Csrf(CSRF_INVALID))?;
        if bytes.len() != 64 {
            return Err(Error::Csrf(CSRF_INVALID));
        }
        let (mask, masked) = bytes.split_at(32);
        let unmasked: Vec<u8> = mask.iter().zip(masked).map(|(m, x)| m ^ x).collect();
        if bool::from(unmasked.ct_eq(&seed)) {
            Ok(())
        } else {
            Err(Error::Csrf(CSRF_INVALID))
        }
    }
}

fn new_seed() -> ([u8; 32], String) {
    let mut seed = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut seed);
    (seed, URL_SAFE_NO_PAD.encode(seed))
}

fn decode_seed(text: &str) -> Option<[u8; 32]> {
    URL_SAFE_NO_PAD.decode(text).ok()?.try_into().ok()
}
