//! A stale form (its CSRF token expired with the session, or the page sat
//! open in another tab): rather than a bare 400 page, the browser goes back
//! to the form, which shows "This form expired" and what was typed again —
//! never a password or a code.

use crate::accounts::state::Security;
use crate::http::cookies::SessionJar;
use crate::i18n::Translator;
use rocket::http::Method;
use rocket::request::Request;
use rocket::response::Redirect;

/// The fields a stale form may fill in again: names people type, not
/// secrets.
pub const KEPT: [&str; 5] = ["email", "identity", "username", "remember", "name"];

/// What was typed into the refused form, for this request's reply.
struct Typed(Vec<(String, String)>);

/// Keeps what was typed (the [`KEPT`] fields), once the form's CSRF
/// token was refused.
pub fn remember(req: &Request<'_>, typed: Vec<(String, String)>) {
    req.local_cache(|| Typed(typed));
}

/// For a browser's form post refused for its CSRF token: back to the page
/// of the same address, with the message and the typed values; `None` when
/// no page serves that address (the plain error page then).
pub fn send_back(req: &Request<'_>, security: &Security, t: &Translator<'_>) -> Option<Redirect> {
    if req.method() != Method::Post || !has_page(req) {
        return None;
    }
    let jar = SessionJar::new(req, security);
    jar.set_flash("error", &t.text(crate::i18n::Msg("FORM_EXPIRED")));
    let typed = req.local_cache(|| Typed(Vec::new()));
    jar.set_typed(typed.0.clone());
    Some(Redirect::to(req.uri().to_string()))
}

/// Whether a GET route serves this request's path (a `<param>` segment
/// matches any one segment).
fn has_page(req: &Request<'_>) -> bool {
    let path: Vec<&str> = req.uri().path().as_str().split('/').collect();
    req.rocket().routes().any(|route| {
        if route.method != Method::Get {
            return false;
        }
        let pattern: Vec<&str> = route.uri.path().split('/').collect();
        pattern.len() == path.len()
            && pattern
                .iter()
                .zip(&path)
                .all(|(p, s)| p == s || (p.starts_with('<') && !p.ends_with("..>")))
    })
}
