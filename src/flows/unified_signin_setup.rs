//! Unified sign-in's account side (Flask-Security's `/us-setup` and
//! `/us-verify`): a fresh user turns code methods on (confirmed by a mailed
//! code) and off; a signed-in user proves who they are again with any
//! active passcode.

use crate::accounts::audit::Event;
use crate::accounts::limits;
use crate::accounts::sign_in::{self, SignInFailure, SignInRefusal};
use crate::accounts::unified_signin::{self as us, Purpose, SetupRefusal};
use crate::config::{HumanDuration, UsMethod};
use crate::db::{Connection, Db, DbConn};
use crate::domain::Password;
use crate::error::{Error, FieldErrors};
use crate::flows::login::identity_attributes;
use crate::flows::unified_signin::US_METHOD_NOT_AVAILABLE;
use crate::flows::unified_signin::{code_method_of, names, INVALID_PASSWORD_CODE};
use crate::flows::verify::reauthenticated;
use crate::http::ctx::Ctx;
use crate::http::fresh::{reauth_options, Fresh};
use crate::http::guards::SignedIn;
use crate::http::input::Input;
use crate::http::page::safe_next;
use crate::http::reply::Reply;
use crate::i18n::{Message, Msg};
use crate::mail::notifier::Notice;
use crate::models::User;
use rocket::serde::json::{json, Value};
use rocket::{get, post, routes, Route, State};

/// `US_SETUP_EXPIRED`, with the contract's 30 minutes.
fn setup_expired(ctx: &Ctx<'_>) -> Message {
    let within = HumanDuration(time::Duration::minutes(30)).words(&ctx.tr());
    Msg("US_SETUP_EXPIRED").with("within", within)
}
pub const US_SETUP_SUCCESSFUL: Msg = Msg("US_SETUP_SUCCESSFUL");
pub const US_METHOD_REMOVED: Msg = Msg("US_METHOD_REMOVED");

pub fn routes() -> Vec<Route> {
    routes![
        setup_page,
        setup,
        setup_validate,
        verify_page,
        verify_send_code,
        verify
    ]
}

/// What `/us-setup` shows: the account's methods and what can be set up.
async fn setup_reply(
    ctx: &Ctx<'_>,
    db: &mut DbConn,
    user: &User,
    extra: Value,
    errors: &FieldErrors,
) -> Result<Reply, Error> {
    let config = &ctx.security.config;
    let active = us::active_methods(db, config, user).await?;
    let available = names(&config.us_enabled_methods, |_| true);
    let setup_methods = names(&config.us_enabled_methods, UsMethod::set_up_here);
    let active = names(&active, |_| true);
    if ctx.json {
        let mut reply = json!({
            "active_methods": active,
            "available_methods": available,
            "setup_methods": setup_methods,
            "identity_attributes": identity_attributes(ctx),
            "phone": null,
        });
        merge(&mut reply, extra);
        return Ok(ctx.ok(reply));
    }
    let mut page = json!({
        "title": ctx.tr().text(Msg("TITLE_SIGN_IN_METHODS")),
        "active_methods": active,
        "setup_methods": setup_methods,
        "email_active": active.contains(&"email"),
        "state": null,
        "errors": errors.to_json(&ctx.tr()),
        "form_errors": errors.form_level(&ctx.tr()),
    });
    merge(&mut page, extra);
    Ok(ctx.page(&config.templates.us_setup, page))
}

fn merge(into: &mut Value, extra: Value) {
    if let (Some(into), Value::Object(extra)) = (into.as_object_mut(), extra) {
        into.extend(extra);
    }
}

#[get("/us-setup")]
async fn setup_page(ctx: Ctx<'_>, current: Fresh, mut db: Connection) -> Result<Reply, Error> {
    setup_reply(&ctx, &mut db, &current.user, json!({}), &FieldErrors::new()).await
}

#[post("/us-setup", data = "<input>")]
async fn setup(
    input: Result<Input, Error>,
    ctx: Ctx<'_>,
    current: Fresh,
    mut db: Connection,
) -> Result<Reply, Error> {
    let input = input?;
    let user = &current.user;
    let config = &ctx.security.config;
    let mut errors = FieldErrors::new();
    if let Some(delete) = input.list("delete_method", &mut errors) {
        let methods: Option<Vec<UsMethod>> = delete
            .iter()
            .map(|m| {
                UsMethod::parse(m)
                    .filter(|m| m.set_up_here() && config.us_enabled_methods.contains(m))
            })
            .collect();
        let Some(methods) = methods.filter(|m| !m.is_empty()) else {
            errors.add("delete_method", US_METHOD_NOT_AVAILABLE);
            return refuse(&ctx, &mut db, user, errors).await;
        };
        for method in methods {
            if us::disable(&mut db, user, method).await? {
                ctx.record(&mut db, Event::UsMethodDisabled, user).await?;
            }
        }
        if ctx.json {
            return Ok(ctx.ok(json!({})));
        }
        let to = config.url("/us-setup");
        return Ok(ctx.redirect_with(to, "success", US_METHOD_REMOVED));
    }
    if !errors.is_empty() {
        return refuse(&ctx, &mut db, user, errors).await;
    }
    let method = code_method_of(&ctx, &input, &mut errors).filter(|m| m.set_up_here());
    let Some(method) = method else {
        errors.add("chosen_method", US_METHOD_NOT_AVAILABLE);
        return refuse(&ctx, &mut db, user, errors).await;
    };
    crate::flows::shared::check_mail_limits_of(&ctx, &mut db, &user.email_key).await?;
    let (state, code) = us::start_setup(&mut db, user, method).await?;
    ctx.notify_code(Notice::UsInstructions, &user.email, code, None)
        .await?;
    let started = json!({ "chosen_method": method.as_str(), "phone": null, "state": state });
    if ctx.json {
        return Ok(ctx.ok(started));
    }
    setup_reply(&ctx, &mut db, user, started, &FieldErrors::new()).await
}

async fn refuse(
    ctx: &Ctx<'_>,
    db: &mut DbConn,
    user: &User,
    errors: FieldErrors,
) -> Result<Reply, Error> {
    if ctx.json {
        return Err(Error::Invalid(errors));
    }
    setup_reply(ctx, db, user, json!({}), &errors).await
}

/// Confirms a started setup with its code. Only a signed-in user: the
/// state was made while fresh.
#[post("/us-setup/<state>", data = "<input>")]
async fn setup_validate(
    state: &str,
    input: Result<Input, Error>,
    ctx: Ctx<'_>,
    current: SignedIn,
    mut db: Connection,
) -> Result<Reply, Error> {
    let input = input?;
    let user = &current.user;
    let config = &ctx.security.config;
    let mut errors = FieldErrors::new();
    let Some(code) = input.required("passcode", INVALID_PASSWORD_CODE, &mut errors) else {
        return refuse(&ctx, &mut db, user, errors).await;
    };
    let finished = us::finish_setup(&mut db, config, user, state, code).await?;
    let method = match finished {
        Ok(method) => method,
        Err(refusal) => {
            let refused = json!({ "state": state, "chosen_method": "email" });
            match refusal {
                SetupRefusal::WrongCode => errors.add("passcode", INVALID_PASSWORD_CODE),
                SetupRefusal::BadState => errors.add("", setup_expired(&ctx)),
            }
            if ctx.json {
                return Err(Error::Invalid(errors));
            }
            let extra = if refusal == SetupRefusal::WrongCode {
                refused
            } else {
                json!({})
            };
            return setup_reply(&ctx, &mut db, user, extra, &errors).await;
        }
    };
    ctx.record(&mut db, Event::UsMethodEnabled, user).await?;
    if ctx.json {
        return Ok(ctx.ok(json!({ "chosen_method": method.as_str(), "phone": null })));
    }
    Ok(ctx.redirect_with(config.url("/us-setup"), "success", US_SETUP_SUCCESSFUL))
}

#[get("/us-verify?<next>")]
async fn verify_page(
    ctx: Ctx<'_>,
    current: SignedIn,
    next: Option<&str>,
    mut db: Connection,
) -> Result<Reply, Error> {
    verify_reply(
        &ctx,
        &mut db,
        &current.user,
        next.and_then(safe_next),
        &FieldErrors::new(),
        None,
    )
    .await
}

async fn verify_reply(
    ctx: &Ctx<'_>,
    db: &mut DbConn,
    user: &User,
    next: Option<&str>,
    errors: &FieldErrors,
    sent: Option<Msg>,
) -> Result<Reply, Error> {
    let config = &ctx.security.config;
    let active = us::active_methods(db, config, user).await?;
    let code_methods = names(&active, UsMethod::sends_codes);
    if ctx.json {
        let mut body = reauth_options(db, ctx.security, user.id).await?.to_json();
        if let Some(map) = body.as_object_mut() {
            map.remove("unified_signin_enabled");
        }
        body["user"] = json!({ "id": user.id, "email": user.email });
        body["available_methods"] = json!(names(&config.us_enabled_methods, |_| true));
        body["code_methods"] = json!(code_methods);
        return Ok(ctx.ok(body));
    }
    Ok(ctx.page(
        &config.templates.us_verify,
        json!({
            "title": ctx.tr().text(Msg("TITLE_CONFIRM_IT_IS_YOU")),
            "next": next,
            "sent": sent.map(|m| ctx.tr().text(m)),
            "sends_codes": !code_methods.is_empty(),
            "errors": errors.to_json(&ctx.tr()),
            "form_errors": errors.form_level(&ctx.tr()),
        }),
    ))
}

#[post("/us-verify/send-code?<next>", data = "<input>")]
async fn verify_send_code(
    input: Result<Input, Error>,
    next: Option<&str>,
    ctx: Ctx<'_>,
    current: SignedIn,
    mut db: Connection,
) -> Result<Reply, Error> {
    let input = input?;
    let user = &current.user;
    let config = &ctx.security.config;
    let mut errors = FieldErrors::new();
    let next = input
        .optional("next", &mut errors)
        .or(next)
        .and_then(safe_next);
    let method = code_method_of(&ctx, &input, &mut errors);
    let active = us::active_methods(&mut db, config, user).await?;
    let Some(_) = method.filter(|m| active.contains(m)) else {
        errors.add("chosen_method", US_METHOD_NOT_AVAILABLE);
        if ctx.json {
            return Err(Error::Invalid(errors));
        }
        return verify_reply(&ctx, &mut db, user, next, &errors, None).await;
    };
    crate::flows::shared::check_mail_limits_of(&ctx, &mut db, &user.email_key).await?;
    let code = us::issue_code(&mut db, user, Purpose::Verify).await?;
    ctx.notify_code(Notice::UsInstructions, &user.email, code, None)
        .await?;
    if ctx.json {
        return Ok(ctx.ok(json!({})));
    }
    let sent = Some(crate::flows::unified_signin::CODE_HAS_BEEN_SENT);
    verify_reply(&ctx, &mut db, user, next, &FieldErrors::new(), sent).await
}

#[post("/us-verify?<next>", data = "<input>")]
async fn verify(
    input: Result<Input, Error>,
    next: Option<&str>,
    ctx: Ctx<'_>,
    current: SignedIn,
    pool: &State<Db>,
) -> Result<Reply, Error> {
    let input = input?;
    let user = &current.user;
    let mut errors = FieldErrors::new();
    let next = input
        .optional("next", &mut errors)
        .or(next)
        .and_then(safe_next);
    let passcode = input.required("passcode", INVALID_PASSWORD_CODE, &mut errors);
    let identity = crate::domain::Email::parse(&user.email)
        .map_err(|_| Error::Internal("stored email does not parse".into()))?
        .into();
    let ip = ctx.client.ip.as_deref();
    let proven = match passcode {
        Some(passcode) => {
            let check = check_own_passcode(&ctx, pool, user, passcode);
            sign_in::guarded(pool, ctx.security, &identity, ip, check).await?
        }
        None => Err(SignInRefusal::Failed(SignInFailure::WrongPassword)),
    };
    match proven {
        Ok(()) => {}
        Err(SignInRefusal::Throttled(wait)) => return Err(limits::too_many(wait)),
        Err(SignInRefusal::Failed(_)) => {
            errors.add("passcode", INVALID_PASSWORD_CODE);
            let mut db = pool.connection().await?;
            if ctx.json {
                return Err(Error::Invalid(errors));
            }
            return verify_reply(&ctx, &mut db, user, next, &errors, None).await;
        }
    }
    let mut db = pool.connection().await?;
    reauthenticated(&ctx, &mut db, &current, next).await
}

/// The signed-in user's passcode: a code mailed for `/us-verify`, the
/// authenticator's, or the password.
async fn check_own_passcode(
    ctx: &Ctx<'_>,
    pool: &Db,
    user: &User,
    passcode: &str,
) -> Result<Result<(), SignInFailure>, Error> {
    let security = ctx.security;
    {
        let conn = &mut *pool.connection().await?;
        if us::code_method(conn, security, user, Purpose::Verify, passcode)
            .await?
            .is_some()
        {
            return Ok(Ok(()));
        }
    }
    if !security
        .config
        .us_enabled_methods
        .contains(&UsMethod::Password)
    {
        return Ok(Err(SignInFailure::WrongPassword));
    }
    let password = Password::for_sign_in(passcode);
    let check = security
        .hasher
        .verify(Some(&user.password_hash), &password)
        .await?;
    Ok(if check.valid {
        Ok(())
    } else {
        Err(SignInFailure::WrongPassword)
    })
}
