//! Recovery codes (Flask-Security's `/mf-recovery-codes` and
//! `/mf-recovery`): make five one-time codes while signed in (and fresh),
//! and use one to complete a pending two-factor sign-in.

use crate::accounts::audit::Event;
use crate::accounts::limits;
use crate::accounts::recovery_codes;
use crate::db::Connection;
use crate::error::{Error, FieldErrors};
use crate::flows::two_factor_validate::{code_limits, complete, count_wrong_code, pending};
use crate::http::ctx::Ctx;
use crate::http::fresh::Fresh;
use crate::http::input::Input;
use crate::http::reply::Reply;
use crate::i18n::Msg;
use crate::mail::notifier::Notice;
use rocket::serde::json::json;
use rocket::{get, post, routes, Route};

pub const INVALID_RECOVERY_CODE: Msg = Msg("INVALID_RECOVERY_CODE");

pub fn routes() -> Vec<Route> {
    routes![codes_page, regenerate, recovery_page, recover]
}

fn codes_reply(ctx: &Ctx<'_>, codes: Vec<String>) -> Reply {
    if ctx.json {
        return ctx.ok(json!({ "recovery_codes": codes }));
    }
    ctx.page(
        &ctx.security.config.templates.mf_recovery_codes,
        json!({ "title": ctx.tr().text(Msg("TITLE_RECOVERY_CODES")), "recovery_codes": codes }),
    )
}

#[get("/mf-recovery-codes")]
async fn codes_page(ctx: Ctx<'_>, current: Fresh, mut db: Connection) -> Result<Reply, Error> {
    let codes = recovery_codes::unused(&mut db, ctx.security, current.id).await?;
    Ok(codes_reply(&ctx, codes))
}

#[post("/mf-recovery-codes", data = "<input>")]
async fn regenerate(
    input: Result<Input, Error>,
    ctx: Ctx<'_>,
    current: Fresh,
    mut db: Connection,
) -> Result<Reply, Error> {
    input?;
    let codes = recovery_codes::regenerate(&mut db, ctx.security, current.id).await?;
    ctx.record(&mut db, Event::RecoveryCodesGenerated, &current.user)
        .await?;
    let detail = Some(ctx.tr().text(Msg("MAIL_TWO_FACTOR_NOTICE_RECOVERY_CODES")));
    let mail = ctx.notify_two_factor(Notice::TwoFactorNotice, &current.email, None, detail);
    if let Err(e) = mail.await {
        log::warn!("recovery codes notice not sent: {e}");
    }
    Ok(codes_reply(&ctx, codes))
}

#[get("/mf-recovery")]
async fn recovery_page(ctx: Ctx<'_>, mut db: Connection) -> Result<Reply, Error> {
    pending(&ctx, &mut db).await?;
    if ctx.json {
        return Ok(ctx.ok(json!({})));
    }
    Ok(recovery_form(&ctx, &FieldErrors::new()))
}

fn recovery_form(ctx: &Ctx<'_>, errors: &FieldErrors) -> Reply {
    ctx.page(
        &ctx.security.config.templates.mf_recovery,
        json!({
            "title": ctx.tr().text(Msg("TITLE_USE_A_RECOVERY_CODE")),
            "errors": errors.to_json(&ctx.tr()),
            "form_errors": errors.form_level(&ctx.tr()),
        }),
    )
}

#[post("/mf-recovery", data = "<input>")]
async fn recover(
    input: Result<Input, Error>,
    ctx: Ctx<'_>,
    mut db: Connection,
) -> Result<Reply, Error> {
    let input = input?;
    if ctx.viewer.is_some() {
        return crate::flows::two_factor_validate::anonymous_only(&ctx);
    }
    let pending = pending(&ctx, &mut db).await?;
    let limits = code_limits(&ctx, &mut db, &pending).await?;
    let mut errors = FieldErrors::new();
    let code = input.required("code", INVALID_RECOVERY_CODE, &mut errors);
    let used = match code {
        Some(code) => {
            recovery_codes::use_code(&mut db, ctx.security, pending.user.id, code).await?
        }
        None => false,
    };
    if !used {
        count_wrong_code(&ctx, &mut db, &pending, &limits).await?;
        let errors = FieldErrors::with("code", INVALID_RECOVERY_CODE);
        if ctx.json {
            return Err(Error::Invalid(errors));
        }
        return Ok(recovery_form(&ctx, &errors));
    }
    limits::forgive(&mut db, &limits).await?;
    ctx.record(&mut db, Event::RecoveryCodeUsed, &pending.user)
        .await?;
    complete(&ctx, &mut db, &pending, None).await
}
