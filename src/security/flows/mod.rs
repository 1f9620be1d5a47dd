//! One module per Flask-Security flow; each owns its routes and form
//! handling and calls the accounts service.

pub mod change;
pub mod confirm;
pub mod login;
pub mod passwordless;
pub mod recover;
pub mod register;
pub mod sessions;

use crate::config::SecurityConfig;
use crate::db::DbConn;
use crate::error::{Error, FieldErrors};
use crate::mail::notifier::Notice;
use crate::models::{TokenContext, User};
use crate::security::page::{Ctx, Reply};
use rocket::{Build, Rocket};

/// Messages shared by several flows, worded as Flask-Security words them.
pub mod messages {
    pub const EMAIL_NOT_PROVIDED: &str = "Email not provided";
    pub const PASSWORD_NOT_PROVIDED: &str = "Password not provided";
    pub const USER_DOES_NOT_EXIST: &str = "Specified user does not exist";
    pub const INVALID_PASSWORD: &str = "Invalid password";
    pub const GENERIC_AUTHN_FAILED: &str =
        "Authentication failed - identity or password/passcode invalid";
    pub const DISABLED_ACCOUNT: &str = "Account is disabled.";
    pub const CONFIRMATION_REQUIRED: &str = "Email requires confirmation.";
    pub const PASSWORDS_DO_NOT_MATCH: &str = "Passwords do not match";
    pub const INVALID_REDIRECT: &str = "Redirections outside the domain are forbidden";
}

/// Refuses with 429 when this email or IP has been sent too much mail
/// lately, and counts this request. The keys are what was typed, whether or
/// not an account has it, so the refusal tells nothing.
pub async fn check_mail_limits(
    ctx: &crate::security::page::Ctx<'_>,
    db: &mut crate::db::DbConn,
    email: &crate::domain::Email,
) -> Result<(), crate::error::Error> {
    use crate::security::limits;
    let limits = limits::mail_limits(
        &ctx.security.config.rate_limits,
        email,
        ctx.client.ip.as_deref(),
    );
    if let Some(wait) = limits::exceeded(db, &limits).await? {
        return Err(limits::too_many(wait));
    }
    limits::hit(db, &limits).await
}

/// Runs work whose outcome must not show in the reply (mail for an account
/// that may or may not exist): failures are logged, and the reply waits for
/// `mail_reply_floor` so its timing is the same either way.
pub async fn privately(
    ctx: &crate::security::page::Ctx<'_>,
    what: &str,
    work: impl std::future::Future<Output = Result<(), crate::error::Error>>,
) {
    if let Err(e) = ctx.with_reply_floor(work).await {
        log::error!("{what} not sent: {e}");
    }
}

/// Mails `user` a fresh single-use link of `context` (older ones die):
/// `/confirm/<token>`, `/reset/<token>` or `/login/<token>`.
pub async fn mail_link(
    ctx: &Ctx<'_>,
    db: &mut DbConn,
    user: &User,
    context: TokenContext,
) -> Result<(), Error> {
    let config = &ctx.security.config;
    let (path, notice, within) = match context {
        TokenContext::Confirm => (
            "/confirm/",
            Notice::ConfirmationInstructions,
            &config.confirm_within,
        ),
        TokenContext::Reset => ("/reset/", Notice::ResetInstructions, &config.reset_within),
        TokenContext::Login => ("/login/", Notice::LoginInstructions, &config.login_within),
        other => {
            return Err(Error::Internal(
                format!("no mailed link for {other:?}").into(),
            ))
        }
    };
    let token = crate::security::service::issue_link(db, user, context).await?;
    let link = ctx.link(&format!("{path}{token}"));
    ctx.notify(notice, &user.email, Some(link), Some(within))
        .await
}

/// A page whose form asks only for an email address (resend confirmation,
/// forgot password).
pub fn email_form(
    ctx: &Ctx<'_>,
    template: &str,
    title: &str,
    email: &str,
    errors: &FieldErrors,
) -> Reply {
    ctx.page(
        template,
        rocket::serde::json::json!({
            "title": title,
            "email": email,
            "errors": errors.to_json(),
            "form_errors": errors.form_level(),
        }),
    )
}

/// Mounts the enabled flows under `base`.
pub fn mount(rocket: Rocket<Build>, base: &str, config: &SecurityConfig) -> Rocket<Build> {
    let mut rocket = rocket
        .mount(base, login::routes())
        .mount(base, sessions::routes());
    if config.registerable {
        rocket = rocket.mount(base, register::routes());
    }
    if config.confirmable {
        rocket = rocket.mount(base, confirm::routes());
    }
    if config.recoverable {
        rocket = rocket.mount(base, recover::routes());
    }
    if config.passwordless {
        rocket = rocket.mount(base, passwordless::routes());
    }
    if config.changeable {
        rocket = rocket.mount(base, change::routes());
    }
    rocket
}
