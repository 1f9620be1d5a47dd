//! The second step of a two-factor sign-in (Flask-Security's
//! `/tf-validate` and `/tf-rescue`): a right password left a pending
//! sign-in bound to this browser; a code completes it, or the rescue mails
//! one (or asks the operator for help).

use crate::accounts::audit::Event;
use crate::accounts::limits;
use crate::accounts::recovery_codes;
use crate::accounts::tokens;
use crate::accounts::two_factor::{self, Pending};
use crate::accounts::webauthn;
use crate::db::Connection;
use crate::error::{Error, FieldErrors};
use crate::flows::messages::{ANONYMOUS_USER_REQUIRED, INVALID_CODE, INVALID_HELP};
use crate::http::ctx::Ctx;
use crate::http::input::Input;
use crate::http::page::safe_next;
use crate::http::reply::Reply;
use crate::http::sign_in::log_in_user;
use crate::i18n::Msg;
use crate::mail::notifier::Notice;
use crate::models::{TokenContext, User};
use rocket::response::Redirect;
use rocket::serde::json::{json, Value};
use rocket::{get, post, routes, Route};

pub fn routes() -> Vec<Route> {
    routes![validate_page, validate, rescue]
}

/// This browser's pending sign-in, or the 401 that says to start over.
pub async fn pending(ctx: &Ctx<'_>, db: &mut Connection) -> Result<Pending, Error> {
    let token = ctx.jar.pending();
    let found = match token {
        Some(token) => two_factor::find_pending(db, &ctx.security.config, &token).await?,
        None => None,
    };
    found.ok_or(Error::Unauthenticated { challenge: None })
}

/// Where a pending sign-in can turn when the code does not come;
/// `recovery_code` only while the account has unused codes.
async fn recovery_options(
    ctx: &Ctx<'_>,
    db: &mut Connection,
    pending: &Pending,
) -> Result<Value, Error> {
    let config = &ctx.security.config;
    let rescue = config.url("/tf-rescue");
    let mut options = json!({ "email": rescue, "help": rescue });
    if config.recovery_codes && recovery_codes::any_left(db, pending.user.id).await? {
        options["recovery_code"] = json!(config.url("/mf-recovery"));
    }
    Ok(options)
}

#[get("/tf-validate?<next>")]
async fn validate_page(
    ctx: Ctx<'_>,
    next: Option<&str>,
    mut db: Connection,
) -> Result<Reply, Error> {
    let pending = pending(&ctx, &mut db).await?;
    if ctx.json {
        return Ok(
            ctx.ok(json!({ "recovery_options": recovery_options(&ctx, &mut db, &pending).await? }))
        );
    }
    let next = next.and_then(safe_next);
    code_form(&ctx, &mut db, &pending, next, &FieldErrors::new()).await
}

async fn code_form(
    ctx: &Ctx<'_>,
    db: &mut Connection,
    pending: &Pending,
    next: Option<&str>,
    errors: &FieldErrors,
) -> Result<Reply, Error> {
    // A second-factor key completes the same pending sign-in (`/wan-signin`).
    let keys = ctx.security.config.webauthn.enabled
        && webauthn::has_secondary_key(db, pending.user.id).await?;
    Ok(ctx.page(
        &ctx.security.config.templates.two_factor_verify_code,
        json!({
            "title": ctx.tr().text(Msg("TITLE_ENTER_YOUR_CODE")),
            "method": pending.method.map_or("webauthn", |m| m.as_str()),
            "keys": keys,
            "next": next,
            "errors": errors.to_json(&ctx.tr()),
            "form_errors": errors.form_level(&ctx.tr()),
        }),
    ))
}

#[post("/tf-validate", data = "<input>")]
async fn validate(
    input: Result<Input, Error>,
    ctx: Ctx<'_>,
    mut db: Connection,
) -> Result<Reply, Error> {
    let input = input?;
    let pending = pending(&ctx, &mut db).await?;
    let mut errors = FieldErrors::new();
    let code = input.required("code", INVALID_CODE, &mut errors);
    // Wrong codes count as wrong passwords do.
    let limits = code_limits(&ctx, &mut db, &pending).await?;
    let right = match code {
        Some(code) => two_factor::check_code(&mut db, ctx.security, &pending, code).await?,
        None => false,
    };
    if !right {
        count_wrong_code(&ctx, &mut db, &pending, &limits).await?;
        if errors.is_empty() {
            errors.add("code", INVALID_CODE);
        }
        if ctx.json {
            return Err(Error::Invalid(errors));
        }
        return code_form(&ctx, &mut db, &pending, None, &errors).await;
    }
    limits::forgive(&mut db, &limits).await?;
    let next = match input.field("next") {
        crate::http::input::Field::Text(next) => safe_next(next),
        _ => None,
    };
    complete(&ctx, &mut db, &pending, next).await
}

/// A wrong code (or recovery code) counts as a wrong password does: against
/// the sign-in limits, and in the audit trail.
pub async fn count_wrong_code(
    ctx: &Ctx<'_>,
    db: &mut Connection,
    pending: &Pending,
    limits: &[limits::Limit],
) -> Result<(), Error> {
    limits::hit(db, limits).await?;
    ctx.record(db, Event::LoginFailed, &pending.user).await
}

/// The limits a pending sign-in's codes count against (its email and IP),
/// refused with 429 when spent.
pub async fn code_limits(
    ctx: &Ctx<'_>,
    db: &mut Connection,
    pending: &Pending,
) -> Result<Vec<limits::Limit>, Error> {
    let ip = ctx.client.ip.as_deref();
    let key = Some(pending.user.email_key.as_str());
    let limits = limits::sign_in_limits(&ctx.security.config.rate_limits, key, ip);
    if let Some(wait) = limits::exceeded(db, &limits).await? {
        return Err(limits::too_many(wait));
    }
    Ok(limits)
}

/// The second factor passed: the pending sign-in becomes a session (a new
/// CSRF token, login tracking, remember-me if asked at the first step).
pub async fn complete(
    ctx: &Ctx<'_>,
    db: &mut Connection,
    pending: &Pending,
    next: Option<&str>,
) -> Result<Reply, Error> {
    finish_sign_in(ctx, db, pending.id, &pending.user, pending.remember, next).await
}

pub async fn finish_sign_in(
    ctx: &Ctx<'_>,
    db: &mut Connection,
    pending_id: i32,
    user: &User,
    remember: bool,
    next: Option<&str>,
) -> Result<Reply, Error> {
    two_factor::end_pending(db, pending_id).await?;
    ctx.jar.clear_pending();
    log_in_user(db, ctx.security, &ctx.jar, &ctx.client, user, remember).await?;
    if ctx.json {
        let token = tokens::issue_token(db, user, TokenContext::Api, &ctx.client).await?;
        return Ok(ctx.ok(json!({
            "user": { "id": user.id, "email": user.email, "authentication_token": token },
        })));
    }
    let to = next.unwrap_or(&ctx.security.config.post_login_view);
    Ok(Reply::Redirect(Redirect::found(to.to_owned())))
}

#[post("/tf-rescue", data = "<input>")]
async fn rescue(
    input: Result<Input, Error>,
    ctx: Ctx<'_>,
    mut db: Connection,
) -> Result<Reply, Error> {
    let input = input?;
    if ctx.viewer.is_some() {
        return anonymous_only(&ctx);
    }
    let pending = pending(&ctx, &mut db).await?;
    let mut errors = FieldErrors::new();
    match input.required("help_setup", INVALID_HELP, &mut errors) {
        Some("email") => {
            let code = two_factor::rescue_code(&mut db, &pending).await?;
            let email = &pending.user.email;
            let notice = Notice::TwoFactorInstructions;
            ctx.notify_two_factor(notice, email, Some(code), None)
                .await?;
        }
        Some("help") => {
            let to = &ctx.security.config.two_factor_rescue_mail;
            let account = Some(pending.user.email.clone());
            ctx.notify_two_factor(Notice::TwoFactorRescue, to, None, account)
                .await?;
        }
        _ => {
            let errors = FieldErrors::with("help_setup", INVALID_HELP);
            if ctx.json {
                return Err(Error::Invalid(errors));
            }
            return code_form(&ctx, &mut db, &pending, None, &errors).await;
        }
    }
    if ctx.json {
        return Ok(
            ctx.ok(json!({ "recovery_options": recovery_options(&ctx, &mut db, &pending).await? }))
        );
    }
    let to = ctx.security.config.url("/tf-validate");
    Ok(ctx.redirect_with(to, "info", Msg("TWO_FACTOR_HELP_SENT")))
}

/// The reply of an anonymous-only endpoint to a signed-in caller: 400
/// `ANONYMOUS_USER_REQUIRED`; browsers go to `post_login_view`.
pub fn anonymous_only(ctx: &Ctx<'_>) -> Result<Reply, Error> {
    if ctx.json {
        return Err(Error::BadRequest(ANONYMOUS_USER_REQUIRED.into()));
    }
    let to = ctx.security.config.post_login_view.clone();
    Ok(Reply::Redirect(Redirect::found(to)))
}
