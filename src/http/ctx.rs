//! What every security handler needs from the request ([`Ctx`]) and the
//! ways it answers: the JSON envelope with a fresh CSRF token, a page
//! rendered inside the layout, a redirect with a message, a mail.

use crate::accounts::audit::{record, Event};
use crate::accounts::sessions;
use crate::accounts::state::Security;
use crate::accounts::two_factor::{self, PendingKind};
use crate::accounts::webauthn;
use crate::config::HumanDuration;
use crate::config::TwoFactorMethod;
use crate::db::DbConn;
use crate::domain::ClientInfo;
use crate::error::Error;
use crate::http::client::client_of;
use crate::http::cookies::SessionJar;
use crate::http::guards::{self, Authenticated};
use crate::http::input::wants_json;
use crate::http::page::context;
use crate::http::reply::Reply;
use crate::http::sign_in::log_in_user;
use crate::i18n::{Message, Translator};
use crate::mail::notifier::{MailContext, Notice, Notifier};
use crate::mail::Mailer;
use crate::models::User;
use rocket::http::Status;
use rocket::request::{FromRequest, Outcome, Request};
use rocket::response::Redirect;
use rocket::serde::json::{json, Value};
use rocket_dyn_templates::Template;

/// How far a sign-in got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInStep {
    /// Signed in: session cookie, login tracking, a new CSRF token.
    Complete,
    /// Waiting for the second factor: a code of `method` at `/tf-validate`,
    /// or (`keys`) a second-factor passkey at `/wan-signin`; nobody is
    /// signed in.
    SecondFactor {
        method: Option<TwoFactorMethod>,
        keys: bool,
    },
    /// Two-factor is required and the account has none: it is set up now
    /// (`/tf-setup`), and its confirming code completes the sign-in.
    SetupRequired,
}

/// The request as the security flows see it.
pub struct Ctx<'r> {
    pub security: &'r Security,
    /// A JSON request (JSON body or `Accept: application/json`).
    pub json: bool,
    pub jar: SessionJar<'r>,
    pub client: ClientInfo,
    /// Who is signed in, for the navigation (never fails).
    pub viewer: Option<Authenticated>,
    flash: Option<(String, String)>,
    /// What was typed into this page's form before it expired.
    typed: Vec<(String, String)>,
    /// The reader's language (`Accept-Language`).
    pub lang: &'r crate::i18n::LanguageIdentifier,
    mailer: &'r Mailer,
    notifier: &'r Notifier,
    /// Where emailed links point: `security.public_url`, or this request's
    /// own host in debug builds.
    pub site_url: String,
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Ctx<'r> {
    type Error = Error;

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        let rocket = req.rocket();
        let (Some(security), Some(mailer), Some(notifier)) = (
            rocket.state::<Security>(),
            rocket.state::<Mailer>(),
            rocket.state::<Notifier>(),
        ) else {
            return Outcome::Error((
                Status::InternalServerError,
                Error::Internal("security or mail state missing".into()),
            ));
        };
        let jar = SessionJar::new(req, security);
        let flash = jar.take_flash();
        let typed = jar.take_typed();
        let lang = security.lang(req.headers().get_one("Accept-Language"));
        Outcome::Success(Ctx {
            security,
            json: wants_json(req),
            jar,
            client: client_of(req),
            viewer: guards::viewer(req).await,
            flash,
            typed,
            lang,
            mailer,
            notifier,
            site_url: site_url(req, security),
        })
    }
}

/// The site's root for emailed links.
fn site_url(req: &Request<'_>, security: &Security) -> String {
    if let Some(url) = &security.config.public_url {
        return url.clone();
    }
    let scheme = if security.config.secure_cookies() {
        "https"
    } else {
        "http"
    };
    match req.host() {
        Some(host) => format!("{scheme}://{host}"),
        None => {
            let config = req.rocket().config();
            format!("{scheme}://{}:{}", config.address, config.port)
        }
    }
}

impl Ctx<'_> {
    /// Adds what `user` just did to the audit trail, with this request's IP.
    pub async fn record(&self, db: &mut DbConn, event: Event, user: &User) -> Result<(), Error> {
        let ip = self.client.ip.as_deref();
        record(db, event, Some(user), None, ip).await
    }

    /// Signs `user` in — or, when their account has a second factor, starts
    /// the pending sign-in that waits for it (mailing the code of the email
    /// method). Every way of signing in goes through here.
    pub async fn sign_in(
        &self,
        db: &mut DbConn,
        user: &User,
        remember: bool,
    ) -> Result<SignInStep, Error> {
        let config = &self.security.config;
        let method = if config.two_factor {
            two_factor::active_method(db, user.id).await?
        } else {
            None
        };
        // A second-factor passkey is a second factor, with two_factor on
        // or not (as Flask-Security-Too).
        let keys = config.webauthn.enabled && webauthn::has_secondary_key(db, user.id).await?;
        let must_set_up = method.is_none()
            && !keys
            && config.two_factor
            && two_factor::required_for(config, &sessions::roles_of(db, user).await?);
        if method.is_none() && !keys && !must_set_up {
            log_in_user(db, self.security, &self.jar, &self.client, user, remember).await?;
            return Ok(SignInStep::Complete);
        }
        // A new password step replaces any earlier pending sign-in.
        if let Some(earlier) = self.jar.pending() {
            two_factor::drop_pending(db, &earlier).await?;
        }
        let kind = match (method, keys) {
            (Some(method), _) => PendingKind::Code(method),
            (None, true) => PendingKind::KeysOnly,
            (None, false) => PendingKind::Setup,
        };
        let (token, code) = two_factor::start_pending(db, user, kind, remember).await?;
        self.jar.set_pending(&token);
        if let Some(code) = code {
            let notice = Notice::TwoFactorInstructions;
            self.notify_two_factor(notice, &user.email, Some(code), None)
                .await?;
        }
        Ok(match kind {
            PendingKind::Setup => SignInStep::SetupRequired,
            _ => SignInStep::SecondFactor { method, keys },
        })
    }

    /// An absolute link to a security endpoint, e.g. `/reset/<token>`.
    pub fn link(&self, path: &str) -> String {
        format!("{}{}", self.site_url, self.security.config.url(path))
    }

    /// Runs `work` and answers no sooner than `mail_reply_floor` after it
    /// started: requests that mail only existing accounts then take the
    /// same time whether or not the account exists.
    pub async fn with_reply_floor<T>(&self, work: impl std::future::Future<Output = T>) -> T {
        let floor = self.security.config.mail_reply_floor.0.unsigned_abs();
        let started = std::time::Instant::now();
        let result = work.await;
        if let Some(rest) = floor.checked_sub(started.elapsed()) {
            rocket::tokio::time::sleep(rest).await;
        }
        result
    }

    /// Renders and sends one of the security mails to `email`. A failure is
    /// logged and reported as [`Error::MailFailed`]; whatever the mail was
    /// about has already happened and stays.
    pub async fn notify(
        &self,
        notice: Notice,
        email: &str,
        link: Option<String>,
        within: Option<&HumanDuration>,
    ) -> Result<(), Error> {
        let context = MailContext {
            link,
            within: within.map(|w| w.words(&self.tr())),
            ..self.mail_context(email)
        };
        self.send(notice, &context).await
    }

    /// A mail to `email` with a link (its lifetime) and a `detail` in
    /// words: the change-email mails, which name the other address.
    pub async fn notify_about(
        &self,
        notice: Notice,
        email: &str,
        link: Option<(String, &HumanDuration)>,
        detail: &str,
    ) -> Result<(), Error> {
        let (link, within) = link.unzip();
        let context = MailContext {
            link,
            within: within.map(|w| w.words(&self.tr())),
            detail: Some(detail.to_owned()),
            ..self.mail_context(email)
        };
        self.send(notice, &context).await
    }

    /// A two-factor mail to `email`: a one-time `code`, or a `detail` in
    /// words (a notice, a rescue request).
    pub async fn notify_two_factor(
        &self,
        notice: Notice,
        email: &str,
        code: Option<String>,
        detail: Option<String>,
    ) -> Result<(), Error> {
        let context = MailContext {
            code,
            detail,
            ..self.mail_context(email)
        };
        self.send(notice, &context).await
    }

    /// A mail with a one-time `code` and, for signing in, its `link`
    /// (unified sign-in).
    pub async fn notify_code(
        &self,
        notice: Notice,
        email: &str,
        code: String,
        link: Option<String>,
    ) -> Result<(), Error> {
        let context = MailContext {
            code: Some(code),
            link,
            ..self.mail_context(email)
        };
        self.send(notice, &context).await
    }

    /// A mail's context with nothing but the addressee and the site.
    fn mail_context(&self, email: &str) -> MailContext {
        MailContext {
            email: email.to_owned(),
            link: None,
            site_url: self.site_url.clone(),
            within: None,
            code: None,
            detail: None,
        }
    }

    async fn send(&self, notice: Notice, context: &MailContext) -> Result<(), Error> {
        // The operator reads the rescue request in the site's language; the
        // others go to the person making the request.
        let lang = match notice {
            Notice::TwoFactorRescue => self.security.catalog.default_lang(),
            _ => self.lang,
        };
        let mail = self
            .notifier
            .render(notice, context, lang)
            .map_err(|e| Error::Internal(e.into()))?;
        self.mailer
            .send(mail)
            .await
            .map_err(|e| Error::MailFailed(e.to_string()))
    }

    /// A JSON success: `response` plus a fresh `csrf_token`.
    pub fn ok(&self, mut response: Value) -> Reply {
        if let Some(map) = response.as_object_mut() {
            map.insert("csrf_token".into(), json!(self.jar.csrf_token()));
        }
        Reply::Json(response)
    }

    /// A page: `template` rendered with the layout's context and `extra`.
    pub fn page(&self, template: &str, mut extra: Value) -> Reply {
        // An expired form comes back with what was typed, where the page
        // has nothing of its own to show.
        if let Some(map) = extra.as_object_mut() {
            for (name, value) in &self.typed {
                let empty = map.get(name).is_none_or(|v| v.is_null() || v == "");
                if empty {
                    map.insert(name.clone(), json!(value));
                }
            }
        }
        let flash = self
            .flash
            .as_ref()
            .map(|(kind, message)| json!({ "kind": kind, "message": message }));
        let context = context(
            self.security,
            self.viewer.as_ref(),
            self.jar.csrf_token(),
            flash,
            self.lang,
            extra,
        );
        Reply::Page(Template::render(template.to_owned(), context))
    }

    /// A redirect that shows `message` on the next page (kept in the
    /// private session cookie, never in a readable one).
    pub fn redirect_with(&self, to: String, kind: &str, message: impl Into<Message>) -> Reply {
        let text = self.tr().render(&message.into());
        self.jar.set_flash(kind, &text);
        Reply::Redirect(Redirect::found(to))
    }

    /// The catalog in the reader's language.
    pub fn tr(&self) -> Translator<'_> {
        self.security.catalog.for_lang(self.lang)
    }
}
