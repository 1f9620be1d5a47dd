//! How handlers answer: [`Reply`] (the envelope, a page, a redirect), and
//! the responder that turns an [`Error`] into the JSON envelope for JSON
//! requests and a page or a redirect to sign in for browsers.

use crate::accounts::state::Security;
use crate::error::Error;
use crate::http::catchers::{login_redirect, verify_redirect};
use crate::http::cookies::SessionJar;
use crate::http::input::wants_json;
use crate::http::page::base_context;
use crate::http::stale_form;
use crate::i18n::{Msg, Translator};
use rocket::http::{Header, Status};
use rocket::request::Request;
use rocket::response::{self, Redirect, Responder};
use rocket::serde::json::{json, Json, Value};
use rocket_dyn_templates::Template;

/// How a security handler answers.
pub enum Reply {
    /// 200 with the envelope around this `response`.
    Json(Value),
    Page(Template),
    Redirect(Redirect),
}

impl<'r> Responder<'r, 'static> for Reply {
    fn respond_to(self, req: &'r Request<'_>) -> response::Result<'static> {
        match self {
            Reply::Json(value) => envelope(Status::Ok, value).respond_to(req),
            Reply::Page(template) => template.respond_to(req),
            Reply::Redirect(redirect) => redirect.respond_to(req),
        }
    }
}

/// How long a rate-limited browser should wait, in words.
fn retry_words(error: &Error, t: Option<&Translator<'_>>) -> Option<String> {
    let (Error::TooManyRequests { retry_after }, Some(t)) = (error, t) else {
        return None;
    };
    let minutes = retry_after.div_ceil(60);
    let message = if *retry_after < 120 {
        crate::i18n::Msg("TRY_AGAIN_IN_SECONDS").with("seconds", retry_after)
    } else {
        crate::i18n::Msg("TRY_AGAIN_IN_MINUTES").with("minutes", minutes)
    };
    Some(t.render(&message))
}

/// `{"meta": {"code": N}, "response": {...}}` with status N.
pub fn envelope(status: Status, response: Value) -> (Status, Json<Value>) {
    (
        status,
        Json(json!({ "meta": { "code": status.code }, "response": response })),
    )
}

/// The error page: the status in words, the messages, and for 429 the
/// wait and a way out.
fn error_page(
    req: &Request<'_>,
    status: Status,
    error: &Error,
    messages: &[String],
    security: Option<&Security>,
    translator: Option<Translator<'_>>,
) -> response::Result<'static> {
    let title = translator.as_ref().map_or_else(
        || status.reason_lossy().to_owned(),
        |t| t.render(&Msg("TITLE_ERROR").with("status", status.code)),
    );
    let context = json!({
        "title": title,
        "status": status.code,
        "messages": messages,
        "retry_after": retry_words(error, translator.as_ref()),
        "offer_reset": matches!(error, Error::TooManyRequests { .. })
            && security.is_some_and(|s| s.config.recoverable),
    });
    (
        status,
        Template::render("error", base_context(req, context)),
    )
        .respond_to(req)
}

impl<'r> Responder<'r, 'static> for Error {
    fn respond_to(self, req: &'r Request<'_>) -> response::Result<'static> {
        self.log();
        let status = self.status();
        let security = req.rocket().state::<Security>();
        let accept_language = req.headers().get_one("Accept-Language");
        let translator = security.map(|s| s.translator(accept_language));
        let (body, messages) = match &translator {
            Some(t) => (
                self.response_body(t),
                match &self {
                    Error::Invalid(fields) => fields.messages(t),
                    other => vec![other.public_message(t)],
                },
            ),
            // No catalog: the app failed to launch its state; no words.
            None => (json!({ "errors": [] }), Vec::new()),
        };
        let mut response = if wants_json(req) {
            envelope(status, body).respond_to(req)?
        } else {
            match &self {
                Error::Unauthenticated { challenge: None } => {
                    // The sign-in page says why the browser is there.
                    if let (Some(security), Some(t)) = (security, translator) {
                        let why = t.text(Msg("LOGIN_TO_CONTINUE"));
                        SessionJar::new(req, security).set_flash("info", &why);
                    }
                    return Redirect::found(login_redirect(req)).respond_to(req);
                }
                Error::ReauthRequired(_) => {
                    return Redirect::found(verify_redirect(req)).respond_to(req);
                }
                Error::Csrf(_) => {
                    let back = security
                        .zip(translator.as_ref())
                        .and_then(|(security, t)| stale_form::send_back(req, security, t));
                    match back {
                        Some(redirect) => return redirect.respond_to(req),
                        None => error_page(req, status, &self, &messages, security, translator)?,
                    }
                }
                _ => error_page(req, status, &self, &messages, security, translator)?,
            }
        };
        if let Error::TooManyRequests { retry_after } = &self {
            response.set_header(Header::new("Retry-After", retry_after.to_string()));
        }
        if let Error::Unauthenticated {
            challenge: Some(realm),
        } = &self
        {
            let realm = realm.replace(['"', '\\'], "");
            response.set_header(Header::new(
                "WWW-Authenticate",
                format!("Basic realm=\"{realm}\""),
            ));
        }
        Ok(response)
    }
}
