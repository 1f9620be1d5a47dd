//! The one decision each request gets about how it authenticates, read by
//! the cookie jar, every guard and the CSRF check.
//!
//! A request that presents an auth token (the configured header, or the
//! query parameter) is *token-authenticated*: it acts as the token's user
//! only, ignores every cookie it carries, sets none, and needs no CSRF token
//! (a browser never attaches a token by itself). Any other request is a
//! cookie (or anonymous) request, and every state change it makes needs the
//! CSRF token. Deciding by the presence of a token — not by which identity a
//! guard happened to pick — is what stops a foreign token from lending its
//! CSRF exemption to a cookie's session.

use crate::accounts::state::Security;
use rocket::request::Request;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credential<'r> {
    /// The request presents this auth token (maybe a wrong one).
    Token(&'r str),
    /// Cookies (a session, remember-me, or nothing yet), or HTTP Basic.
    Cookie,
}

impl<'r> Credential<'r> {
    pub fn of(req: &'r Request<'_>, security: &Security) -> Credential<'r> {
        let config = &security.config;
        let token = req
            .headers()
            .get_one(&config.token_header)
            .or_else(|| {
                req.query_value::<&str>(&config.token_query_param)
                    .and_then(Result::ok)
            })
            // Present, even empty, is a token: a wrong one is refused,
            // never taken for "no token".
            .map(str::trim);
        match token {
            Some(token) => Credential::Token(token),
            None => Credential::Cookie,
        }
    }

    pub fn is_token(self) -> bool {
        matches!(self, Credential::Token(_))
    }
}
