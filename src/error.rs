//! The one error type of the application, on the ground floor: each variant
//! knows its status and its public message. Unexpected errors are logged
//! with their cause chain and shown as an opaque 500. Turning an error into
//! the JSON envelope or a page is the HTTP layer's (`http::reply`).

use crate::i18n::{Message, Msg, Translator};
use rocket::http::Status;
use rocket::serde::json::{json, Value};
use std::collections::BTreeMap;

pub const UNAUTHENTICATED: Msg = Msg("UNAUTHENTICATED");
pub const REAUTHENTICATION_REQUIRED: Msg = Msg("REAUTHENTICATION_REQUIRED");
pub const TOO_MANY_ATTEMPTS: Msg = Msg("TOO_MANY_ATTEMPTS");
pub const FORBIDDEN: Msg = Msg("UNAUTHORIZED");
pub const NOT_A_STRING: Msg = Msg("NOT_A_STRING");
pub const BAD_REQUEST: Msg = Msg("BAD_REQUEST");

/// What a client may re-authenticate with, told with a not-fresh 401.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReauthOptions {
    pub unified_signin_enabled: bool,
    pub has_webauthn_verify_credential: bool,
    /// Configured OAuth providers, sorted.
    pub oauth_providers: Vec<String>,
}

impl ReauthOptions {
    /// The fields `GET /verify` and the not-fresh 401 carry.
    pub fn to_json(&self) -> Value {
        json!({
            "unified_signin_enabled": self.unified_signin_enabled,
            "has_webauthn_verify_credential": self.has_webauthn_verify_credential,
            "oauth_enabled": !self.oauth_providers.is_empty(),
            "oauth_providers": self.oauth_providers,
        })
    }
}

/// Messages per form field; form-level messages sit under `""`. They are
/// catalog keys until a reply renders them in the reader's language.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FieldErrors(BTreeMap<String, Vec<Message>>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: &str, message: impl Into<Message>) {
        let messages = self.0.entry(field.to_owned()).or_default();
        let message = message.into();
        if !messages.contains(&message) {
            messages.push(message);
        }
    }

    pub fn with(field: &str, message: impl Into<Message>) -> Self {
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

    pub fn iter(&self) -> impl Iterator<Item = (&String, &Vec<Message>)> {
        self.0.iter()
    }

    /// Whether `field` has `message`.
    pub fn has_message(&self, field: &str, message: impl Into<Message>) -> bool {
        let message = message.into();
        self.0.get(field).is_some_and(|m| m.contains(&message))
    }

    /// The messages of one field (`""` for the form-level ones), rendered.
    pub fn messages_for(&self, field: &str, t: &Translator<'_>) -> Vec<String> {
        let messages = self.0.get(field).map(Vec::as_slice).unwrap_or_default();
        messages.iter().map(|m| t.render(m)).collect()
    }

    /// What a page shows above the form: messages not tied to an input.
    pub fn form_level(&self, t: &Translator<'_>) -> Vec<String> {
        ["", "next", "csrf_token"]
            .iter()
            .flat_map(|f| self.messages_for(f, t))
            .collect()
    }

    /// Every message, form-level ones first.
    pub fn messages(&self, t: &Translator<'_>) -> Vec<String> {
        self.0.values().flatten().map(|m| t.render(m)).collect()
    }

    /// `{field: [message, …]}`, rendered.
    pub fn to_json(&self, t: &Translator<'_>) -> Value {
        let rendered: BTreeMap<&String, Vec<String>> = self
            .0
            .iter()
            .map(|(field, messages)| (field, messages.iter().map(|m| t.render(m)).collect()))
            .collect();
        json!(rendered)
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
    #[error("bad request: {0:?}")]
    BadRequest(Message),
    /// 400: CSRF token missing or wrong.
    #[error("csrf: {0:?}")]
    Csrf(Msg),
    /// 401: no valid credentials. `challenge` adds `WWW-Authenticate: Basic`.
    #[error("unauthenticated")]
    Unauthenticated { challenge: Option<String> },
    /// 401: signed in, but the sign-in is not fresh enough for this route;
    /// `POST /verify` makes it fresh. The user stays signed in.
    #[error("reauthentication required")]
    ReauthRequired(ReauthOptions),
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
            Error::Unauthenticated { .. } | Error::ReauthRequired(_) => Status::Unauthorized,
            Error::Forbidden => Status::Forbidden,
            Error::NotFound => Status::NotFound,
            Error::MethodNotAllowed => Status::MethodNotAllowed,
            Error::TooLarge => Status::PayloadTooLarge,
            Error::TooManyRequests { .. } => Status::TooManyRequests,
            Error::Status(status) => *status,
            Error::Internal(_) | Error::MailFailed(_) => Status::InternalServerError,
        }
    }

    /// The `response` part of the envelope, in the reader's language.
    pub fn response_body(&self, t: &Translator<'_>) -> Value {
        match self {
            Error::Invalid(fields) => {
                json!({ "errors": fields.messages(t), "field_errors": fields.to_json(t) })
            }
            Error::Csrf(message) => {
                let message = t.text(*message);
                json!({ "errors": [message], "field_errors": { "csrf_token": [message] } })
            }
            Error::ReauthRequired(options) => {
                let mut body = options.to_json();
                body["errors"] = json!([t.text(REAUTHENTICATION_REQUIRED)]);
                body["reauth_required"] = json!(true);
                body
            }
            other => json!({ "errors": [other.public_message(t)] }),
        }
    }

    pub fn public_message(&self, t: &Translator<'_>) -> String {
        let key = match self {
            Error::Invalid(fields) => return fields.messages(t).join(" "),
            Error::BadRequest(message) => return t.render(message),
            Error::Status(status) => return format!("{}.", status.reason_lossy()),
            Error::Csrf(message) => *message,
            Error::Unauthenticated { .. } => UNAUTHENTICATED,
            Error::ReauthRequired(_) => REAUTHENTICATION_REQUIRED,
            Error::Forbidden => FORBIDDEN,
            Error::NotFound => Msg("NOT_FOUND"),
            Error::MethodNotAllowed => Msg("METHOD_NOT_ALLOWED"),
            Error::TooLarge => Msg("BODY_TOO_LARGE"),
            Error::TooManyRequests { .. } => TOO_MANY_ATTEMPTS,
            Error::Internal(_) => Msg("SERVER_ERROR"),
            Error::MailFailed(_) => Msg("MAIL_FAILED"),
        };
        t.text(key)
    }

    /// Logs what the operator must see: the cause chain of an internal
    /// error, a mail that was not sent. Never shown to the client.
    pub fn log(&self) {
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

impl From<diesel_async::pooled_connection::deadpool::PoolError> for Error {
    fn from(error: diesel_async::pooled_connection::deadpool::PoolError) -> Self {
        Error::Internal(error.to_string().into())
    }
}
