//! Two-factor (Flask-Security's `/tf-setup`, `/tf-validate`, `/tf-rescue`):
//! setting up an authenticator app or mailed codes, and the second step of
//! a sign-in whose password was right.

use crate::accounts::audit::Event;
use crate::accounts::limits;
use crate::accounts::recovery_codes;
use crate::accounts::tokens;
use crate::accounts::two_factor::{self, Pending, SetupRefusal};
use crate::config::TwoFactorMethod;
use crate::db::Connection;
use crate::domain::Email;
use crate::error::{Error, FieldErrors};
use crate::flows::messages::ANONYMOUS_USER_REQUIRED;
use crate::http::ctx::Ctx;
use crate::http::fresh::Fresh;
use crate::http::guards::SignedIn;
use crate::http::input::Input;
use crate::http::reply::Reply;
use crate::http::sign_in::log_in_user;
use crate::mail::notifier::Notice;
use crate::models::TokenContext;
use rocket::response::Redirect;
use rocket::serde::json::{json, Value};
use rocket::{get, post, routes, Route};

pub const INVALID_METHOD: &str = "Marked method is not valid";
pub const INVALID_CODE: &str = "Invalid code";
pub const CODE_NOT_PROVIDED: &str = "Code not provided";
pub const INVALID_HELP: &str = "Not a valid choice";

pub fn routes() -> Vec<Route> {
    routes![
        setup_page,
        start_setup,
        finish_setup,
        validate_page,
        validate,
        rescue
    ]
}

fn setup_expired(ctx: &Ctx<'_>) -> String {
    format!(
        "Setup must be completed within {}. Please start over.",
        ctx.security.config.two_factor_setup_within.describe()
    )
}

/// `tf_available_methods`: the configured ones, `"disable"` first once a
/// method is active.
fn available(ctx: &Ctx<'_>, active: Option<TwoFactorMethod>) -> Vec<&'static str> {
    let methods = ctx.security.config.two_factor_methods.iter();
    active
        .map(|_| "disable")
        .into_iter()
        .chain(methods.map(|m| m.as_str()))
        .collect()
}

#[get("/tf-setup")]
async fn setup_page(ctx: Ctx<'_>, current: SignedIn, mut db: Connection) -> Result<Reply, Error> {
    let active = two_factor::active_method(&mut db, current.id).await?;
    let state = json!({
        "tf_required": false,
        "tf_method": active.map(TwoFactorMethod::as_str),
        "tf_primary_method": active.map(TwoFactorMethod::as_str),
        "tf_phone_number": null,
        "tf_available_methods": available(&ctx, active),
    });
    if ctx.json {
        return Ok(ctx.ok(state));
    }
    Ok(setup_form(&ctx, state, Value::Null, &FieldErrors::new()))
}

fn setup_form(ctx: &Ctx<'_>, state: Value, started: Value, errors: &FieldErrors) -> Reply {
    ctx.page(
        &ctx.security.config.templates.two_factor_setup,
        json!({
            "title": "Two-factor sign-in",
            "state": state,
            "started": started,
            "errors": errors.to_json(),
            "form_errors": errors.form_level(),
        }),
    )
}

/// The authenticator's fields of the setup reply.
fn authenticator_fields(ctx: &Ctx<'_>, email: &str, secret: &[u8]) -> Result<Value, Error> {
    let config = &ctx.security.config;
    let totp = two_factor::totp(config, secret, email)?;
    let b32 = totp.secret().to_base32();
    let issuer = config.totp_issuer.clone().unwrap_or_default();
    // Every byte but RFC 3986's unreserved ones, as Python's `quote` does
    // for Flask-Security-Too.
    let encode = |text: &str| {
        text.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                    (b as char).to_string()
                }
                other => format!("%{other:02X}"),
            })
            .collect::<String>()
    };
    let uri = format!(
        "otpauth://totp/{}:{}?secret={b32}&issuer={}",
        encode(&issuer),
        encode(email),
        encode(&issuer)
    );
    let grouped = b32
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-");
    Ok(json!({
        "tf_authr_b32key": b32,
        "tf_authr_key": grouped,
        "tf_authr_issuer": issuer,
        "tf_authr_username": email,
        "tf_authr_uri": uri,
    }))
}

/// The QR code of an `otpauth://` URI, as inline SVG.
fn qr_svg(uri: &str) -> Result<String, Error> {
    let code = qrcode::QrCode::new(uri.as_bytes())
        .map_err(|e| Error::Internal(format!("QR code: {e}").into()))?;
    let svg = code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(200, 200)
        .build();
    // Inline in the page: the XML declaration has no place in HTML.
    Ok(svg
        .find("<svg")
        .map_or(svg.clone(), |at| svg[at..].to_owned()))
}

#[post("/tf-setup", data = "<input>")]
async fn start_setup(
    input: Result<Input, Error>,
    current: Fresh,
    ctx: Ctx<'_>,
    mut db: Connection,
) -> Result<Reply, Error> {
    let input = input?;
    let user = &current.user;
    let mut errors = FieldErrors::new();
    let choice = input.required("setup", INVALID_METHOD, &mut errors);
    let enabled = &ctx.security.config.two_factor_methods;
    let method = match choice {
        Some("disable") => {
            two_factor::disable(&mut db, user.id).await?;
            recovery_codes::delete_all(&mut db, user.id).await?;
            ctx.record(&mut db, Event::TwoFactorDisabled, user).await?;
            notice(&ctx, &user.email, "it was turned off").await;
            if ctx.json {
                return Ok(ctx.ok(json!({ "user": { "id": user.id, "email": user.email } })));
            }
            let to = ctx.security.config.url("/tf-setup");
            return Ok(ctx.redirect_with(to, "success", "Two-factor sign-in is off."));
        }
        Some(text) => TwoFactorMethod::parse(text).filter(|m| enabled.contains(m)),
        None => None,
    };
    let Some(method) = method else {
        errors = FieldErrors::with("setup", INVALID_METHOD);
        if ctx.json {
            return Err(Error::Invalid(errors));
        }
        let active = two_factor::active_method(&mut db, user.id).await?;
        let state = json!({ "tf_method": active.map(TwoFactorMethod::as_str),
            "tf_available_methods": available(&ctx, active) });
        return Ok(setup_form(&ctx, state, Value::Null, &errors));
    };
    let started = two_factor::start_setup(&mut db, ctx.security, user, method).await?;
    if let Some(code) = started.mailed_code {
        let notice = Notice::TwoFactorInstructions;
        ctx.notify_two_factor(notice, &user.email, Some(code), None)
            .await?;
    }
    let mut reply = json!({
        "tf_state": "validating_profile",
        "tf_method": method.as_str(),
        "tf_primary_method": method.as_str(),
        "tf_state_token": started.state_token,
    });
    if let Some(secret) = &started.secret {
        let fields = authenticator_fields(&ctx, &user.email, secret)?;
        if let (Some(reply), Value::Object(fields)) = (reply.as_object_mut(), fields) {
            reply.extend(fields);
        }
    }
    if ctx.json {
        return Ok(ctx.ok(reply));
    }
    // Every key the page names is present (strict templates).
    reply["qr_svg"] = match reply["tf_authr_uri"].as_str() {
        Some(uri) => json!(qr_svg(uri)?),
        None => Value::Null,
    };
    if reply.get("tf_authr_key").is_none() {
        reply["tf_authr_key"] = Value::Null;
    }
    reply["action"] = json!(ctx
        .security
        .config
        .url(&format!("/tf-setup/{}", started.state_token)));
    Ok(setup_form(&ctx, Value::Null, reply, &FieldErrors::new()))
}

#[post("/tf-setup/<state>", data = "<input>")]
async fn finish_setup(
    state: &str,
    input: Result<Input, Error>,
    current: SignedIn,
    ctx: Ctx<'_>,
    mut db: Connection,
) -> Result<Reply, Error> {
    let input = input?;
    let user = &current.user;
    let mut errors = FieldErrors::new();
    let code = input.required("code", CODE_NOT_PROVIDED, &mut errors);
    let outcome = match code {
        Some(code) => two_factor::finish_setup(&mut db, ctx.security, user, state, code).await?,
        None => Err(SetupRefusal::WrongCode),
    };
    let method = match outcome {
        Ok(method) => method,
        Err(refusal) => {
            let errors = match refusal {
                SetupRefusal::WrongCode if errors.is_empty() => {
                    FieldErrors::with("code", INVALID_CODE)
                }
                SetupRefusal::WrongCode => errors,
                SetupRefusal::BadState => FieldErrors::with("", setup_expired(&ctx)),
            };
            if ctx.json {
                return Err(Error::Invalid(errors));
            }
            let to = ctx.security.config.url("/tf-setup");
            return Ok(ctx.redirect_with(to, "error", &errors.messages().join(" ")));
        }
    };
    ctx.record(&mut db, Event::TwoFactorEnabled, user).await?;
    let detail = format!("codes now come from {}", describe(method));
    notice(&ctx, &user.email, &detail).await;
    if ctx.json {
        return Ok(ctx.ok(json!({
            "tf_method": method.as_str(),
            "tf_primary_method": method.as_str(),
            "tf_phone": null,
        })));
    }
    let to = ctx.security.config.url("/tf-setup");
    Ok(ctx.redirect_with(to, "success", "Two-factor sign-in is on."))
}

fn describe(method: TwoFactorMethod) -> &'static str {
    match method {
        TwoFactorMethod::Email => "email",
        TwoFactorMethod::Authenticator => "an authenticator app",
    }
}

/// Mails the account that its two-factor changed (a lost notice harms
/// nobody: logged).
async fn notice(ctx: &Ctx<'_>, email: &str, detail: &str) {
    let mail = ctx.notify_two_factor(Notice::TwoFactorNotice, email, None, Some(detail.into()));
    if let Err(e) = mail.await {
        log::warn!("two-factor notice to {email} not sent: {e}");
    }
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

#[get("/tf-validate")]
async fn validate_page(ctx: Ctx<'_>, mut db: Connection) -> Result<Reply, Error> {
    let pending = pending(&ctx, &mut db).await?;
    if ctx.json {
        return Ok(
            ctx.ok(json!({ "recovery_options": recovery_options(&ctx, &mut db, &pending).await? }))
        );
    }
    Ok(code_form(&ctx, &pending, &FieldErrors::new()))
}

fn code_form(ctx: &Ctx<'_>, pending: &Pending, errors: &FieldErrors) -> Reply {
    ctx.page(
        &ctx.security.config.templates.two_factor_verify_code,
        json!({
            "title": "Enter your code",
            "method": pending.method.as_str(),
            "errors": errors.to_json(),
            "form_errors": errors.form_level(),
        }),
    )
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
    let code = input.required("code", CODE_NOT_PROVIDED, &mut errors);
    // Wrong codes count as wrong passwords do.
    let limits = code_limits(&ctx, &mut db, &pending).await?;
    let right = match code {
        Some(code) => two_factor::check_code(&mut db, ctx.security, &pending, code).await?,
        None => false,
    };
    if !right {
        limits::hit(&mut db, &limits).await?;
        ctx.record(&mut db, Event::LoginFailed, &pending.user)
            .await?;
        if errors.is_empty() {
            errors.add("code", INVALID_CODE);
        }
        if ctx.json {
            return Err(Error::Invalid(errors));
        }
        return Ok(code_form(&ctx, &pending, &errors));
    }
    limits::forgive(&mut db, &limits).await?;
    complete(&ctx, &mut db, &pending).await
}

/// The limits a pending sign-in's codes count against (its email and IP),
/// refused with 429 when spent.
pub async fn code_limits(
    ctx: &Ctx<'_>,
    db: &mut Connection,
    pending: &Pending,
) -> Result<Vec<limits::Limit>, Error> {
    let email = Email::parse(&pending.user.email)
        .map_err(|_| Error::Internal("stored email does not parse".into()))?;
    let ip = ctx.client.ip.as_deref();
    let limits = limits::sign_in_limits(&ctx.security.config.rate_limits, Some(&email), ip);
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
) -> Result<Reply, Error> {
    two_factor::end_pending(db, pending.id).await?;
    ctx.jar.clear_pending();
    let user = &pending.user;
    log_in_user(
        db,
        ctx.security,
        &ctx.jar,
        &ctx.client,
        user,
        pending.remember,
    )
    .await?;
    if ctx.json {
        let token = tokens::issue_token(db, user, TokenContext::Api, &ctx.client).await?;
        return Ok(ctx.ok(json!({
            "user": { "id": user.id, "email": user.email, "authentication_token": token },
        })));
    }
    let to = ctx.security.config.post_login_view.clone();
    Ok(Reply::Redirect(Redirect::found(to)))
}

#[post("/tf-rescue", data = "<input>")]
async fn rescue(
    input: Result<Input, Error>,
    ctx: Ctx<'_>,
    mut db: Connection,
) -> Result<Reply, Error> {
    let input = input?;
    if ctx.viewer.is_some() {
        return Err(Error::BadRequest(ANONYMOUS_USER_REQUIRED.into()));
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
            return Ok(code_form(&ctx, &pending, &errors));
        }
    }
    if ctx.json {
        return Ok(
            ctx.ok(json!({ "recovery_options": recovery_options(&ctx, &mut db, &pending).await? }))
        );
    }
    let to = ctx.security.config.url("/tf-validate");
    Ok(ctx.redirect_with(to, "info", "We have sent what you asked for."))
}
