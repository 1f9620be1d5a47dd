//! Reading requests defensively: is it a JSON request, and [`Input`], the body of every security form (JSON or URL-encoded)
//! with its CSRF token already checked ([`SignInInput`] for the forms that
//! start a browser session).

use crate::accounts::state::Security;
use crate::error::{Error, FieldErrors, NOT_A_STRING};
use crate::http::cookies::SessionJar;
use crate::http::guards;
use crate::http::stale_form;
use crate::i18n::Msg;
use rocket::data::{Data, FromData, Outcome, ToByteUnit};
use rocket::http::RawStr;
use rocket::request::Request;
use rocket::serde::json::Value;
use std::collections::HashMap;

/// Bodies larger than this are refused with 413: no security form needs more.
pub const BODY_LIMIT_KIB: u64 = 64;

/// A JSON request: its body is JSON, or its `Accept` header prefers JSON.
pub fn wants_json(req: &Request<'_>) -> bool {
    req.content_type().is_some_and(|ct| ct.is_json())
        || req
            .accept()
            .is_some_and(|accept| accept.preferred().media_type().is_json())
}

/// One submitted field, as the form reader sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field<'a> {
    Missing,
    Text(&'a str),
    /// Present in JSON but not a string (a number, an object, …).
    WrongType,
}

/// The fields of a form or JSON body, CSRF-checked.
#[derive(Debug, Default)]
pub struct Input {
    fields: HashMap<String, Value>,
}

impl Input {
    pub fn field(&self, name: &str) -> Field<'_> {
        match self.fields.get(name) {
            None | Some(Value::Null) => Field::Missing,
            Some(Value::String(text)) => Field::Text(text),
            Some(_) => Field::WrongType,
        }
    }

    /// What was typed in a text field, to show the form again with it; ""
    /// when it is missing or not text.
    pub fn typed(&self, name: &str) -> &str {
        match self.field(name) {
            Field::Text(text) => text,
            _ => "",
        }
    }

    /// A required text field: a missing or blank value gets `missing`, a
    /// non-string one "Not a valid string.".
    pub fn required<'a>(
        &'a self,
        name: &str,
        missing: Msg,
        errors: &mut FieldErrors,
    ) -> Option<&'a str> {
        match self.field(name) {
            Field::Text(text) if !text.trim().is_empty() => Some(text),
            Field::WrongType => {
                errors.add(name, NOT_A_STRING);
                None
            }
            _ => {
                errors.add(name, missing);
                None
            }
        }
    }

    /// The required `email` field, parsed: "Email not provided" when absent,
    /// "Invalid email address" when it is not one.
    pub fn email(&self, errors: &mut FieldErrors) -> Option<crate::domain::Email> {
        let text = self.required("email", Msg("EMAIL_NOT_PROVIDED"), errors)?;
        crate::domain::Email::parse(text)
            .map_err(|m| errors.add("email", m))
            .ok()
    }

    /// What `/login` signs in as, and the field it came from: `email`
    /// (which, with usernames on, may also hold a username, as the page's
    /// one field does), or `username` when only that was sent.
    pub fn sign_in_identity(
        &self,
        usernames: bool,
        errors: &mut FieldErrors,
    ) -> Option<(&'static str, crate::domain::Identity)> {
        let given = |name| matches!(self.field(name), Field::Text(t) if !t.trim().is_empty());
        let field = if usernames && given("username") && !given("email") {
            "username"
        } else {
            "email"
        };
        let missing = if field == "email" {
            Msg("EMAIL_NOT_PROVIDED")
        } else {
            crate::domain::Username::NOT_PROVIDED
        };
        let identity = self.identity_in(field, usernames, missing, errors)?;
        Some((field, identity))
    }

    /// A required field holding an email, or with usernames on, a username.
    pub fn identity_in(
        &self,
        field: &str,
        usernames: bool,
        missing: Msg,
        errors: &mut FieldErrors,
    ) -> Option<crate::domain::Identity> {
        let text = self.required(field, missing, errors)?;
        crate::domain::Identity::for_sign_in(text, usernames)
            .map_err(|m| errors.add(field, m))
            .ok()
    }

    /// An optional list of strings: a JSON array, or one value (a form's
    /// field, or JSON that sent a lone string).
    pub fn list<'a>(&'a self, name: &str, errors: &mut FieldErrors) -> Option<Vec<&'a str>> {
        match self.fields.get(name) {
            None | Some(Value::Null) => None,
            Some(Value::String(text)) => Some(vec![text.as_str()]),
            Some(Value::Array(items)) if items.iter().all(Value::is_string) => {
                Some(items.iter().filter_map(Value::as_str).collect())
            }
            Some(_) => {
                errors.add(name, Msg("NOT_A_LIST"));
                None
            }
        }
    }

    /// An optional text field (a wrong type counts as an error).
    pub fn optional<'a>(&'a self, name: &str, errors: &mut FieldErrors) -> Option<&'a str> {
        match self.field(name) {
            Field::Text(text) if !text.is_empty() => Some(text),
            Field::WrongType => {
                errors.add(name, NOT_A_STRING);
                None
            }
            _ => None,
        }
    }

    /// A checkbox: JSON `true`, or a form value such as `y`, `on`, `true`, `1`.
    pub fn flag(&self, name: &str) -> bool {
        match self.fields.get(name) {
            Some(Value::Bool(b)) => *b,
            Some(Value::Number(n)) => n.as_i64() == Some(1),
            Some(Value::String(s)) => {
                matches!(
                    s.to_ascii_lowercase().as_str(),
                    "y" | "yes" | "on" | "true" | "1"
                )
            }
            _ => false,
        }
    }

    fn parse(req: &Request<'_>, body: &[u8]) -> Result<Input, Error> {
        let is_json = req.content_type().is_some_and(|ct| ct.is_json());
        let fields = if body.iter().all(u8::is_ascii_whitespace) {
            HashMap::new()
        } else if is_json {
            match serde_json::from_slice::<Value>(body) {
                Ok(Value::Object(map)) => map.into_iter().collect(),
                Ok(_) => return Err(Error::BadRequest(Msg("BODY_NOT_AN_OBJECT").into())),
                Err(_) => return Err(Error::BadRequest(Msg("BODY_NOT_JSON").into())),
            }
        } else {
            parse_urlencoded(body)?
        };
        Ok(Input { fields })
    }

    /// The CSRF token the client sent: a header, or the form field.
    fn supplied_csrf_token<'a>(&'a self, req: &'a Request<'_>) -> Option<&'a str> {
        let headers = req.headers();
        headers
            .get_one("X-CSRF-Token")
            .or_else(|| headers.get_one("X-XSRF-Token"))
            .or(match self.field("csrf_token") {
                Field::Text(token) => Some(token),
                _ => None,
            })
    }
}

fn parse_urlencoded(body: &[u8]) -> Result<HashMap<String, Value>, Error> {
    let text =
        std::str::from_utf8(body).map_err(|_| Error::BadRequest(Msg("BODY_NOT_UTF8").into()))?;
    let mut fields = HashMap::new();
    for pair in text.split('&').filter(|p| !p.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let decode = |s: &str| {
            RawStr::new(s)
                .url_decode()
                .map(|c| c.into_owned())
                .map_err(|_| Error::BadRequest(Msg("FORM_NOT_UTF8").into()))
        };
        // The first value wins, as with a browser's single inputs.
        fields
            .entry(decode(name)?)
            .or_insert(Value::String(decode(value)?));
    }
    Ok(fields)
}

/// The body of `POST /login` and `POST /register`: these start a browser
/// session, so they always need the CSRF token, and a request carrying an
/// auth token (already signed in, and cookie-blind) is refused.
#[derive(Debug)]
pub struct SignInInput(pub Input);

/// Flask-Security's `ANONYMOUS_USER_REQUIRED`.
pub const ANONYMOUS_USER_REQUIRED: Msg = Msg("ANONYMOUS_USER_REQUIRED");

async fn read_input(req: &Request<'_>, data: Data<'_>, sign_in: bool) -> Result<Input, Error> {
    let body = match data.open(BODY_LIMIT_KIB.kibibytes()).into_bytes().await {
        Ok(body) if body.is_complete() => body.into_inner(),
        Ok(_) => return Err(Error::TooLarge),
        Err(_) => return Err(Error::BadRequest(crate::error::BAD_REQUEST.into())),
    };
    let input = Input::parse(req, &body)?;
    let checked = check_csrf(req, &input, sign_in).await;
    if let Err(Error::Csrf(_)) = &checked {
        let typed = stale_form::KEPT
            .iter()
            .filter(|name| !input.typed(name).is_empty())
            .map(|name| (name.to_string(), input.typed(name).to_owned()))
            .collect();
        stale_form::remember(req, typed);
    }
    checked.map(|()| input)
}

#[rocket::async_trait]
impl<'r> FromData<'r> for Input {
    type Error = Error;

    async fn from_data(req: &'r Request<'_>, data: Data<'r>) -> Outcome<'r, Self> {
        match read_input(req, data, false).await {
            Ok(input) => Outcome::Success(input),
            Err(e) => Outcome::Error((e.status(), e)),
        }
    }
}

#[rocket::async_trait]
impl<'r> FromData<'r> for SignInInput {
    type Error = Error;

    async fn from_data(req: &'r Request<'_>, data: Data<'r>) -> Outcome<'r, Self> {
        match read_input(req, data, true).await {
            Ok(input) => Outcome::Success(SignInInput(input)),
            Err(e) => Outcome::Error((e.status(), e)),
        }
    }
}

/// Every state change that a browser could be tricked into sending carries
/// the token. Only a request authenticated by a valid auth token (which a
/// browser never attaches by itself) is exempt; it acts as the token's user
/// and its cookies are ignored (see `credential`). A wrong token is refused
/// outright, never treated as anonymous.
async fn check_csrf(req: &Request<'_>, input: &Input, sign_in: bool) -> Result<(), Error> {
    match guards::token_verdict(req).await {
        Some(_) if sign_in => return Err(Error::BadRequest(ANONYMOUS_USER_REQUIRED.into())),
        Some(true) => return Ok(()),
        Some(false) => return Err(Error::Unauthenticated { challenge: None }),
        None => {}
    }
    let security = req
        .rocket()
        .state::<Security>()
        .ok_or_else(|| Error::Internal("security state missing".into()))?;
    SessionJar::new(req, security).verify_csrf(input.supplied_csrf_token(req))
}
