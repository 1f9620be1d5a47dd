//! Unified sign-in (Flask-Security's `/us-signin`): one form takes an
//! identity and a passcode — the password, or a code mailed on request
//! with a link that signs in as well. The classic `/login` stays; see the
//! README for how this relates to the older passwordless link.

use crate::accounts::audit::Event;
use crate::accounts::limits;
use crate::accounts::sign_in::{find_by_identity, SignInFailure, SignInRefusal};
use crate::accounts::unified_signin::{self as us, Purpose};
use crate::config::UsMethod;
use crate::db::{Connection, Db, DbConn};
use crate::domain::Identity;
use crate::error::{Error, FieldErrors};
use crate::flows::login::identity_attributes;
use crate::flows::messages::*;
use crate::flows::shared;
use crate::flows::two_factor_validate::anonymous_only;
use crate::http::ctx::{Ctx, SignInStep};
use crate::http::input::{Field, Input, SignInInput};
use crate::http::page::safe_next;
use crate::http::reply::Reply;
use crate::http::sign_in::log_in_user;
use crate::i18n::Msg;
use crate::mail::notifier::Notice;
use crate::models::{TokenContext, User};
use rocket::response::Redirect;
use rocket::serde::json::json;
use rocket::{get, post, routes, Route, State};

pub const US_SPECIFY_IDENTITY: Msg = Msg("US_SPECIFY_IDENTITY");
pub const US_METHOD_NOT_AVAILABLE: Msg = Msg("US_METHOD_NOT_AVAILABLE");
pub const INVALID_PASSWORD_CODE: Msg = Msg("INVALID_PASSWORD_CODE");
pub const CODE_HAS_BEEN_SENT: Msg = Msg("CODE_HAS_BEEN_SENT");
pub const GENERIC_US_SIGNIN: Msg = Msg("GENERIC_US_SIGNIN");

pub fn routes() -> Vec<Route> {
    routes![signin_page, send_code, signin, verify_link]
}

/// The names of the enabled methods that `keep`.
pub fn names(methods: &[UsMethod], keep: impl Fn(UsMethod) -> bool) -> Vec<&'static str> {
    methods
        .iter()
        .copied()
        .filter(|m| keep(*m))
        .map(UsMethod::as_str)
        .collect()
}

#[get("/us-signin?<next>")]
fn signin_page(ctx: Ctx<'_>, next: Option<&str>) -> Reply {
    let methods = &ctx.security.config.us_enabled_methods;
    if ctx.json {
        return ctx.ok(json!({
            "available_methods": names(methods, |_| true),
            "code_methods": names(methods, UsMethod::sends_codes),
            "identity_attributes": identity_attributes(&ctx),
        }));
    }
    signin_form(
        &ctx,
        next.and_then(safe_next),
        "",
        None,
        &FieldErrors::new(),
    )
}

fn signin_form(
    ctx: &Ctx<'_>,
    next: Option<&str>,
    identity: &str,
    sent: Option<Msg>,
    errors: &FieldErrors,
) -> Reply {
    let methods = &ctx.security.config.us_enabled_methods;
    ctx.page(
        &ctx.security.config.templates.us_signin,
        json!({
            "title": ctx.tr().text(Msg("TITLE_SIGN_IN")),
            "next": next,
            "identity": identity,
            "sent": sent.map(|m| ctx.tr().text(m)),
            "sends_codes": methods.contains(&UsMethod::Email),
            "takes_password": methods.contains(&UsMethod::Password),
            "errors": errors.to_json(&ctx.tr()),
            "form_errors": errors.form_level(&ctx.tr()),
        }),
    )
}

/// `chosen_method`, if it is an enabled method that sends codes.
pub fn code_method_of(ctx: &Ctx<'_>, input: &Input, errors: &mut FieldErrors) -> Option<UsMethod> {
    let text = input.required("chosen_method", US_METHOD_NOT_AVAILABLE, errors)?;
    let method = UsMethod::parse(text)
        .filter(|m| m.sends_codes() && ctx.security.config.us_enabled_methods.contains(m));
    if method.is_none() {
        errors.add("chosen_method", US_METHOD_NOT_AVAILABLE);
    }
    method
}

#[post("/us-signin/send-code?<next>", data = "<input>")]
async fn send_code(
    input: Result<SignInInput, Error>,
    next: Option<&str>,
    ctx: Ctx<'_>,
    mut db: Connection,
) -> Result<Reply, Error> {
    let input = input?.0;
    if ctx.viewer.is_some() {
        return anonymous_only(&ctx);
    }
    let config = &ctx.security.config;
    let mut errors = FieldErrors::new();
    let usernames = config.username_enable;
    let identity = input.identity_in("identity", usernames, US_SPECIFY_IDENTITY, &mut errors);
    let method = code_method_of(&ctx, &input, &mut errors);
    let next = input
        .optional("next", &mut errors)
        .or(next)
        .and_then(safe_next);
    let refuse = |ctx: &Ctx<'_>, errors: FieldErrors| {
        if ctx.json {
            return Err(Error::Invalid(errors));
        }
        Ok(signin_form(
            ctx,
            next,
            input.typed("identity"),
            None,
            &errors,
        ))
    };
    let generic = config.generic_responses;
    let sent = |ctx: &Ctx<'_>| {
        if ctx.json {
            return Ok(ctx.ok(json!({})));
        }
        let message = if generic {
            GENERIC_US_SIGNIN
        } else {
            CODE_HAS_BEEN_SENT
        };
        let errors = FieldErrors::new();
        Ok(signin_form(
            ctx,
            next,
            input.typed("identity"),
            Some(message),
            &errors,
        ))
    };
    let (Some(identity), Some(method)) = (identity, method) else {
        // Generic replies: what could tell whether the account exists or
        // has the method set up goes; a missing field is still said.
        let squashed = !errors.is_empty()
            && generic
            && !matches!(input.field("identity"), Field::Missing)
            && !matches!(input.field("chosen_method"), Field::Missing);
        return if squashed {
            sent(&ctx)
        } else {
            refuse(&ctx, errors)
        };
    };
    shared::check_mail_limits_of(&ctx, &mut db, &identity.key()).await?;
    let work = mail_code(&ctx, &mut db, &identity, method);
    if generic {
        shared::privately(&ctx, "unified sign-in code", async { work.await.map(drop) }).await;
        return sent(&ctx);
    }
    match work.await? {
        Ok(()) => sent(&ctx),
        Err((field, message)) => {
            errors.add(field, message);
            refuse(&ctx, errors)
        }
    }
}

/// Mails the account of `identity` a sign-in code and link, or says why
/// not (for replies that are not generic).
async fn mail_code(
    ctx: &Ctx<'_>,
    db: &mut DbConn,
    identity: &Identity,
    method: UsMethod,
) -> Result<Result<(), (&'static str, Msg)>, Error> {
    let config = &ctx.security.config;
    let Some(user) = find_by_identity(db, identity).await? else {
        return Ok(Err(("identity", US_SPECIFY_IDENTITY)));
    };
    if !us::active_methods(db, config, &user)
        .await?
        .contains(&method)
    {
        return Ok(Err(("chosen_method", US_METHOD_NOT_AVAILABLE)));
    }
    if !user.active {
        return Ok(Err(("identity", DISABLED_ACCOUNT)));
    }
    if !us::may_receive_codes(config, &user) {
        return Ok(Err(("identity", CONFIRMATION_REQUIRED)));
    }
    let code = us::issue_code(db, &user, Purpose::SignIn).await?;
    let link = ctx.link(&format!("/us-verify-link?id={}&code={code}", user.id));
    ctx.notify_code(Notice::UsInstructions, &user.email, code, Some(link))
        .await?;
    ctx.record(db, Event::UsCodeSent, &user).await?;
    Ok(Ok(()))
}

#[post("/us-signin?<next>", data = "<input>")]
async fn signin(
    input: Result<SignInInput, Error>,
    next: Option<&str>,
    ctx: Ctx<'_>,
    pool: &State<Db>,
) -> Result<Reply, Error> {
    let input = input?.0;
    let config = &ctx.security.config;
    let mut errors = FieldErrors::new();
    let usernames = config.username_enable;
    let identity = input.identity_in("identity", usernames, US_SPECIFY_IDENTITY, &mut errors);
    let passcode = input.required("passcode", INVALID_PASSWORD_CODE, &mut errors);
    let remember = input.flag("remember");
    let next = shared::requested_next(&input, next, &mut errors);
    let signed_in = match (errors.is_empty(), &identity, passcode) {
        (true, Some(identity), Some(passcode)) => {
            let ip = ctx.client.ip.as_deref();
            match us::sign_in_with_passcode(pool, ctx.security, identity, passcode, ip).await? {
                Ok(found) => Some(found),
                Err(SignInRefusal::Throttled(wait)) => return Err(limits::too_many(wait)),
                Err(SignInRefusal::Failed(failure)) => {
                    let proven = matches!(
                        failure,
                        SignInFailure::Unconfirmed | SignInFailure::Disabled
                    );
                    let (field, message) = match failure {
                        SignInFailure::UnknownUser => ("identity", US_SPECIFY_IDENTITY),
                        SignInFailure::WrongPassword => ("passcode", INVALID_PASSWORD_CODE),
                        SignInFailure::Unconfirmed => ("identity", CONFIRMATION_REQUIRED),
                        SignInFailure::Disabled => ("identity", DISABLED_ACCOUNT),
                    };
                    errors.add(field, message);
                    if config.generic_responses && !proven {
                        errors = shared::generic(errors, &["identity", "passcode"]);
                    }
                    None
                }
            }
        }
        _ => {
            if config.generic_responses {
                errors = shared::generic(errors, &["identity", "passcode"]);
            }
            None
        }
    };
    let Some((user, method)) = signed_in else {
        if ctx.json {
            return Err(Error::Invalid(errors));
        }
        return Ok(signin_form(
            &ctx,
            next,
            input.typed("identity"),
            None,
            &errors,
        ));
    };
    let mut db = pool.connection().await?;
    complete(&ctx, &mut db, &user, method, remember, next).await
}

/// Signs `user` in after a right passcode: through the second factor when
/// the account has one — except with the authenticator's code, which is
/// that factor (as Flask-Security-Too's `us_mfa_required`).
async fn complete(
    ctx: &Ctx<'_>,
    db: &mut DbConn,
    user: &User,
    method: UsMethod,
    remember: bool,
    next: Option<&str>,
) -> Result<Reply, Error> {
    let step = if method == UsMethod::Authenticator {
        log_in_user(db, ctx.security, &ctx.jar, &ctx.client, user, remember).await?;
        SignInStep::Complete
    } else {
        ctx.sign_in(db, user, remember).await?
    };
    if step != SignInStep::Complete {
        return Ok(shared::second_factor_reply(ctx, step, next));
    }
    if ctx.json {
        let token = crate::accounts::tokens::issue_token(db, user, TokenContext::Api, &ctx.client);
        return Ok(ctx.ok(json!({
            "user": { "id": user.id, "email": user.email, "authentication_token": token.await? },
            "tf_required": false,
        })));
    }
    let to = next.unwrap_or(&ctx.security.config.post_login_view);
    Ok(Reply::Redirect(Redirect::found(to.to_owned())))
}

/// The link of the mailed code: always a redirect, and never a token in a
/// URL. Guesses count against the same limits as sign-ins.
#[get("/us-verify-link?<id>&<code>")]
async fn verify_link(
    id: Option<&str>,
    code: Option<&str>,
    ctx: Ctx<'_>,
    mut db: Connection,
) -> Result<Reply, Error> {
    let config = &ctx.security.config;
    if ctx.viewer.is_some() {
        return Ok(Reply::Redirect(Redirect::found(
            config.post_login_view.clone(),
        )));
    }
    let refused = |message: Msg| ctx.redirect_with(config.url("/us-signin"), "error", message);
    let (Some(id), Some(code)) = (id.and_then(|i| i.parse::<i32>().ok()), code) else {
        return Ok(refused(INVALID_PASSWORD_CODE));
    };
    let key = format!("us-link:{id}");
    let limits = limits::sign_in_limits(&config.rate_limits, Some(&key), ctx.client.ip.as_deref());
    if limits::exceeded(&mut db, &limits).await?.is_some() {
        return Ok(refused(crate::error::TOO_MANY_ATTEMPTS));
    }
    let user = match crate::accounts::registration::find_user_by_id(&mut db, id).await? {
        Some(user) if us::take_code(&mut db, config, &user, Purpose::SignIn, code).await? => user,
        _ => {
            limits::hit(&mut db, &limits).await?;
            return Ok(refused(INVALID_PASSWORD_CODE));
        }
    };
    if !us::may_receive_codes(config, &user) {
        return Ok(refused(INVALID_PASSWORD_CODE));
    }
    limits::forgive(&mut db, &limits).await?;
    match ctx.sign_in(&mut db, &user, false).await? {
        SignInStep::Complete => Ok(Reply::Redirect(Redirect::found(
            config.post_login_view.clone(),
        ))),
        step => Ok(shared::second_factor_reply(&ctx, step, None)),
    }
}
