//! What several flows do alike: mail limits, mail whose outcome must not
//! show, the emailed links, the email-only forms, quiet notices.

use crate::accounts::limits;
use crate::accounts::tokens::issue_link;
use crate::db::DbConn;
use crate::domain::{Email, Password};
use crate::error::{Error, FieldErrors};
use crate::flows::messages::{GENERIC_AUTHN_FAILED, INVALID_REDIRECT};
use crate::http::ctx::Ctx;
use crate::http::ctx::SignInStep;
use crate::http::page::safe_next;
use crate::http::reply::Reply;
use crate::i18n::Msg;
use crate::mail::notifier::Notice;
use crate::models::{TokenContext, User};
use rocket::response::Redirect;
use rocket::serde::json::json;

/// Refuses with 429 when this email or IP has been sent too much mail
/// lately, and counts this request. The keys are what was typed, whether or
/// not an account has it, so the refusal tells nothing.
pub async fn check_mail_limits(ctx: &Ctx<'_>, db: &mut DbConn, email: &Email) -> Result<(), Error> {
    check_mail_limits_of(ctx, db, &email.key()).await
}

/// [`check_mail_limits`] for any identity's key (`Identity::key`).
pub async fn check_mail_limits_of(ctx: &Ctx<'_>, db: &mut DbConn, key: &str) -> Result<(), Error> {
    let limits = limits::mail_limits(
        &ctx.security.config.rate_limits,
        key,
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
    ctx: &Ctx<'_>,
    what: &str,
    work: impl std::future::Future<Output = Result<(), Error>>,
) {
    if let Err(e) = ctx.with_reply_floor(work).await {
        log::error!("{what} not sent: {e}");
    }
}

/// Judges a new password (breached list, zxcvbn) for the account with
/// these identities (email, username); a weakness becomes `field`'s error.
pub async fn judge_new_password(
    ctx: &Ctx<'_>,
    password: &Password,
    identities: &[&str],
    field: &str,
    errors: &mut FieldErrors,
) {
    let security = ctx.security;
    let strength = security
        .strength
        .check(&security.config, password, identities);
    if let Err(weakness) = strength.await {
        errors.add(field, weakness.message());
    }
}

/// Where to go after a form that signs in: the body's `next`, else the
/// query's, only if it stays on this site; another one is the form's
/// `INVALID_REDIRECT` error.
pub fn requested_next<'a>(
    input: &'a crate::http::input::Input,
    query: Option<&'a str>,
    errors: &mut FieldErrors,
) -> Option<&'a str> {
    let next = input.optional("next", errors).or(query);
    if next.is_some_and(|n| safe_next(n).is_none()) {
        errors.add("next", INVALID_REDIRECT);
    }
    next.and_then(safe_next)
}

/// With generic responses: whatever could tell "no such account" from a
/// wrong password or code (the messages of `identity_fields`) becomes one
/// form-level message; other errors (`next`, CSRF) stay.
pub fn generic(errors: FieldErrors, identity_fields: &[&str]) -> FieldErrors {
    let mut result = FieldErrors::new();
    for (field, messages) in errors.iter() {
        if identity_fields.contains(&field.as_str()) {
            result.add("", GENERIC_AUTHN_FAILED);
        } else {
            for message in messages {
                result.add(field, message.clone());
            }
        }
    }
    result
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
    let token = issue_link(db, user, context).await?;
    let link = ctx.link(&format!("{path}{token}"));
    ctx.notify(notice, &user.email, Some(link), Some(within))
        .await
}

/// A page whose form asks only for an email address (resend confirmation,
/// forgot password).
pub fn email_form(
    ctx: &Ctx<'_>,
    template: &str,
    title: Msg,
    email: &str,
    errors: &FieldErrors,
) -> Reply {
    ctx.page(
        template,
        rocket::serde::json::json!({
            "title": ctx.tr().text(title),
            "email": email,
            "errors": errors.to_json(&ctx.tr()),
            "form_errors": errors.form_level(&ctx.tr()),
        }),
    )
}

/// Sends a password notice (changed, reset), whose loss harms nobody
/// (the change has happened): a failure is logged, not shown. It links to
/// `/reset`, the way back for an owner who did not make the change.
pub async fn notify_quietly(ctx: &Ctx<'_>, notice: Notice, email: &str) {
    let link = ctx.security.config.recoverable.then(|| ctx.link("/reset"));
    if let Err(e) = ctx.notify(notice, email, link, None).await {
        log::warn!("{notice:?} to {email} not sent: {e}");
    }
}

/// The reply to a right password when a second factor must follow: no
/// user, no token, no session (the contract's `tf_required`); browsers go
/// to the code form, or to the setup when two-factor is required and the
/// account has none (`setup_from_login`).
/// `next`, a safe local path, is carried to where the sign-in completes.
pub fn second_factor_reply(ctx: &Ctx<'_>, step: SignInStep, next: Option<&str>) -> Reply {
    let config = &ctx.security.config;
    let (state, method, page, keys) = match step {
        SignInStep::SecondFactor {
            method: Some(method),
            keys,
        } => ("ready", Some(method.as_str()), "/tf-validate", keys),
        SignInStep::SecondFactor { method: None, .. } => {
            ("ready", Some("webauthn"), "/wan-signin", true)
        }
        _ => ("setup_from_login", None, "/tf-setup", false),
    };
    if ctx.json {
        let mut reply = json!({
            "tf_required": true,
            "tf_state": state,
            "tf_method": method,
            "tf_primary_method": method,
        });
        if keys {
            reply["tf_signin_url"] = json!(config.url("/wan-signin"));
        }
        if method.is_none() {
            let available: Vec<&str> = config
                .two_factor_methods
                .iter()
                .map(|m| m.as_str())
                .collect();
            reply["tf_available_methods"] = json!(available);
        }
        return ctx.ok(reply);
    }
    page_redirect(ctx, page, next)
}

/// The browser's way to the second step of a sign-in, whatever the request
/// accepts (an OAuth callback is a navigation).
pub fn second_factor_redirect(ctx: &Ctx<'_>, step: SignInStep, next: Option<&str>) -> Reply {
    let page = match step {
        SignInStep::SecondFactor {
            method: Some(_), ..
        } => "/tf-validate",
        SignInStep::SecondFactor { method: None, .. } => "/wan-signin",
        _ => "/tf-setup",
    };
    page_redirect(ctx, page, next)
}

fn page_redirect(ctx: &Ctx<'_>, page: &str, next: Option<&str>) -> Reply {
    let config = &ctx.security.config;
    let to = match next {
        Some(next) => {
            let encoded = rocket::http::RawStr::new(next).percent_encode().to_string();
            format!("{}?next={encoded}", config.url(page))
        }
        None => config.url(page),
    };
    Reply::Redirect(Redirect::found(to))
}
