//! The one error type of the application and its responder: JSON requests get
//! the Flask-Security envelope, browsers get a page or a redirect to sign in.
//! Unexpected errors are logged with their cause chain and shown as an
//! opaque 500.

use crate::security::request::wants_json;
use rocket::http::{Header, Status};
use rocket::request::Request;
use rocket::response::{self, Redirect, Responder};
use rocket::serde::json::{json, Json, Value};
use rocket_dyn_templates::Template;
use std::collections::BTreeMap;

pub const UNAUTHENTICATED: &str = "You must sign in to view this resource.";
pub const FORBIDDEN: &str = "You do not have permission to view this resource.";

/// Messages per form field; form-level messages sit under `""`.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FieldErrors(BTreeMap<String, Vec<String>>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        let messages = self.0.entry(field.to_owned()).or_default();
        let message = message.into();
        if !messages.contains(&message) {
            messages.push(message);
        }
    }

    pub fn with(field: &str, message: impl Into<String>) -> Self {
        let mut errors = Self::new();
        errors.add(field, message);
        errors
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn has(&self, field: &str) -> bool {
        self.0.contains_key(field)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &Vec<String>)> {
        self.0.iter()
    }

    /// The messages of one field (`""` for the form-level ones).
    pub fn messages_for(&self, field: &str) -> Vec<String> {
        self.0.get(field).cloned().unwrap_or_default()
    }

    /// What a page shows above the form: messages not tied to an input.
    pub fn form_level(&self) -> Vec<String> {
        ["", "next", "csrf_token"]
            .iter()
            .flat_map(|f| self.messages_for(f))
            .collect()
    }

    /// Every message, form-level ones first.
    pub fn messages(&self) -> Vec<String> {
        self.0.values().flatten().cloned().collect()
    }

    pub fn to_json(&self) -> Value {
        json!(self.0)
    }

    /// Ok when empty, else the errors as a 400.
    pub fn into_result(self) -> Result<(), Error> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(Error::Invalid(self))
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// 400: the input failed validation; `field_errors` says where.
    #[error("invalid input")]
    Invalid(FieldErrors),
    /// 400: a request that cannot be read at all (bad JSON, bad link).
    #[error("{0}")]
    BadRequest(String),
    /// 400: CSRF token missing or wrong.
    #[error("{0}")]
    Csrf(&'static str),
    /// 401: no valid credentials. `challenge` adds `WWW-Authenticate: Basic`.
    #[error("unauthenticated")]
    Unauthenticated { challenge: Option<String> },
    /// 403: signed in, but lacking a role.
    #[error("forbidden")]
    Forbidden,
    /// 404.
    #[error("not found")]
    NotFound,
    /// 405: e.g. `GET /logout`.
    #[error("method not allowed")]
    MethodNotAllowed,
    /// Any other status a catcher meets (e.g. 503 when no database
    /// connection could be had).
    #[error("{0}")]
    Status(Status),
    /// 429: too many attempts; try again after `retry_after` seconds.
    #[error("too many requests")]
    TooManyRequests { retry_after: u64 },
    /// 413: the body is over the limit.
    #[error("request body too large")]
    TooLarge,
    /// 500: a mail could not be sent. What it was for has happened; the
    /// user can ask for the mail again.
    #[error("mail not sent: {0}")]
    MailFailed(String),
    /// 500: logged with its causes, never shown.
    #[error(transparent)]
    Internal(#[from] Box<dyn std::error::Error + Send + Sync>),
}

impl Error {
    pub fn internal(error: impl std::error::Error + Send + Sync + 'static) -> Self {
        Error::Internal(Box::new(error))
    }

    pub fn status(&self) -> Status {
        match self {
            Error::Invalid(_) | Error::BadRequest(_) | Error::Csrf(_) => Status::BadRequest,
            Error::Unauthenticated { .. } => Status::Unauthorized,
            Error::Forbidden => Status::Forbidden,
            Error::NotFound => Status::NotFound,
            Error::MethodNotAllowed => Status::MethodNotAllowed,
            Error::TooLarge => Status::PayloadTooLarge,
            Error::TooManyRequests { .. } => Status::TooManyRequests,
            Error::Status(status) => *status,
            Error::Internal(_) | Error::MailFailed(_) => Status::InternalServerError,
        }
    }

    /// The `response` part of the envelope.
    pub fn response_body(&self) -> Value {
        match self {
            Error::Invalid(fields) => {
                json!({ "errors": fields.messages(), "field_errors": fields.to_json() })
            }
            Error::Csrf(message) => {
                json!({ "errors": [message], "field_errors": { "csrf_token": [message] } })
            }
            other => json!({ "errors": [other.public_message()] }),
        }
    }

    pub fn public_message(&self) -> String {
        match self {
            Error::Invalid(fields) => fields.messages().join(" "),
            Error::BadRequest(message) => message.clone(),
            Error::Csrf(message) => (*message).to_owned(),
            Error::Unauthenticated { .. } => UNAUTHENTICATED.into(),
            Error::Forbidden => FORBIDDEN.into(),
            Error::NotFound => "Not found.".into(),
            Error::MethodNotAllowed => "Method not allowed.".into(),
            Error::TooLarge => "The request body is too large.".into(),
            Error::TooManyRequests { .. } => {
                "Too many attempts. Please wait a while and try again.".into()
            }
            Error::Status(status) => format!("{}.", status.reason_lossy()),
            Error::Internal(_) => "Something went wrong on our side. Please try again.".into(),
            Error::MailFailed(_) => {
                "We could not send the email just now. Please try again in a few minutes.".into()
            }
        }
    }

    fn log(&self) {
        if let Error::MailFailed(cause) = self {
            log::error!("mail not sent: {cause}");
        }
        if let Error::Internal(error) = self {
            let mut chain = error.to_string();
            let mut source = error.source();
            while let Some(cause) = source {
                chain.push_str(&format!(": {cause}"));
                source = cause.source();
            }
            log::error!("internal error: {chain}");
        }
    }
}

impl From<diesel::result::Error> for Error {
    fn from(error: diesel::result::Error) -> Self {
        Error::internal(error)
    }
}

impl From<crate::security::password::HashError> for Error {
    fn from(error: crate::security::password::HashError) -> Self {
        Error::internal(error)
    }
}

impl From<diesel_async::pooled_connection::deadpool::PoolError> for Error {
    fn from(error: diesel_async::pooled_connection::deadpool::PoolError) -> Self {
        Error::Internal(error.to_string().into())
    }
}

/// `{"meta": {"code": N}, "response": {...}}` with status N.
pub fn envelope(status: Status, response: Value) -> (Status, Json<Value>) {
    (
        status,
        Json(json!({ "meta": { "code": status.code }, "response": response })),
    )
}

impl<'r> Responder<'r, 'static> for Error {
    fn respond_to(self, req: &'r Request<'_>) -> response::Result<'static> {
        self.log();
        let status = self.status();
        let mut response = if wants_json(req) {
            envelope(status, self.response_body()).respond_to(req)?
        } else {
            match &self {
                Error::Unauthenticated { challenge: None } => {
                    return Redirect::found(crate::security::login_redirect(req)).respond_to(req);
                }
                _ => (
                    status,
                    Template::render(
                        "error",
                        crate::security::page::base_context(
                            req,
                            json!({
                                "title": status.reason_lossy(),
                                "status": status.code,
                                "messages": match &self {
                                    Error::Invalid(fields) => fields.messages(),
                                    other => vec![other.public_message()],
                                },
                            }),
                        ),
                    ),
                )
                    .respond_to(req)?,
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
