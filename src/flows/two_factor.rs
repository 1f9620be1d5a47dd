//! Two-factor setup (Flask-Security's `/tf-setup`): an authenticator app
//! or mailed codes, confirmed with a code; for a signed-in (fresh) user, or
//! right after the password when two-factor is required. The sign-in's
//! second step is `two_factor_validate`.

use crate::accounts::audit::Event;
use crate::accounts::recovery_codes;
use crate::accounts::two_factor::{self, SetupPending, SetupRefusal};
use crate::config::TwoFactorMethod;
use crate::db::Connection;
use crate::error::{Error, FieldErrors};
use crate::flows::messages::{INVALID_CODE, INVALID_METHOD};
use crate::flows::two_factor_validate::finish_sign_in;
use crate::http::ctx::Ctx;
use crate::http::fresh::Fresh;
use crate::http::guards::SignedIn;
use crate::http::input::Input;
use crate::http::reply::Reply;
use crate::i18n::{Message, Msg};
use crate::mail::notifier::Notice;
use crate::models::User;
use rocket::serde::json::{json, Value};
use rocket::{get, post, routes, Route};

pub fn routes() -> Vec<Route> {
    routes![setup_page, start_setup, finish_setup]
}

fn setup_expired(ctx: &Ctx<'_>) -> Message {
    let within = ctx.security.config.two_factor_setup_within.words(&ctx.tr());
    Msg("TWO_FACTOR_SETUP_EXPIRED").with("within", within)
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
async fn setup_page(
    ctx: Ctx<'_>,
    current: Result<SignedIn, Error>,
    mut db: Connection,
) -> Result<Reply, Error> {
    let who = who(&ctx, &mut db, current.map(|c| c.0.user)).await?;
    let active = two_factor::active_method(&mut db, who.user().id).await?;
    let state = json!({
        "tf_required": who.pending().is_some(),
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
            "title": ctx.tr().text(Msg("TITLE_TWO_FACTOR_SIGN_IN")),
            "state": state,
            "started": started,
            "errors": errors.to_json(&ctx.tr()),
            "form_errors": errors.form_level(&ctx.tr()),
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
    current: Result<Fresh, Error>,
    ctx: Ctx<'_>,
    mut db: Connection,
) -> Result<Reply, Error> {
    let input = input?;
    let who = who(&ctx, &mut db, current.map(|c| c.0 .0.user)).await?;
    let user = who.user();
    let mut errors = FieldErrors::new();
    let choice = input.required("setup", INVALID_METHOD, &mut errors);
    let enabled = &ctx.security.config.two_factor_methods;
    let method = match choice {
        // Required two-factor cannot be turned off while setting it up.
        Some("disable") if who.pending().is_none() => {
            two_factor::disable(&mut db, user.id).await?;
            recovery_codes::delete_all(&mut db, user.id).await?;
            ctx.record(&mut db, Event::TwoFactorDisabled, user).await?;
            notice(&ctx, &user.email, Msg("MAIL_TWO_FACTOR_NOTICE_OFF")).await;
            if ctx.json {
                return Ok(ctx.ok(json!({ "user": { "id": user.id, "email": user.email } })));
            }
            let to = ctx.security.config.url("/tf-setup");
            return Ok(ctx.redirect_with(to, "success", Msg("TWO_FACTOR_DISABLED")));
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
    current: Result<SignedIn, Error>,
    ctx: Ctx<'_>,
    mut db: Connection,
) -> Result<Reply, Error> {
    let input = input?;
    let who = who(&ctx, &mut db, current.map(|c| c.0.user)).await?;
    let user = who.user();
    let mut errors = FieldErrors::new();
    let code = input.required("code", INVALID_CODE, &mut errors);
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
            let joined = Message::Text(errors.messages(&ctx.tr()).join(" "));
            return Ok(ctx.redirect_with(to, "error", joined));
        }
    };
    ctx.record(&mut db, Event::TwoFactorEnabled, user).await?;
    let detail = match method {
        TwoFactorMethod::Email => Msg("MAIL_TWO_FACTOR_NOTICE_EMAIL"),
        TwoFactorMethod::Authenticator => Msg("MAIL_TWO_FACTOR_NOTICE_AUTHENTICATOR"),
    };
    notice(&ctx, &user.email, detail).await;
    if let Who::Pending(pending) = &who {
        // Required two-factor, set up during the sign-in: its confirming
        // code was the second factor.
        return finish_sign_in(&ctx, &mut db, pending.id, user, pending.remember, None).await;
    }
    if ctx.json {
        return Ok(ctx.ok(json!({
            "tf_method": method.as_str(),
            "tf_primary_method": method.as_str(),
            "tf_phone": null,
        })));
    }
    let to = ctx.security.config.url("/tf-setup");
    Ok(ctx.redirect_with(to, "success", Msg("TWO_FACTOR_ENABLED")))
}

/// Mails the account that its two-factor changed (a lost notice harms
/// nobody: logged).
async fn notice(ctx: &Ctx<'_>, email: &str, detail: Msg) {
    let detail = Some(ctx.tr().text(detail));
    let mail = ctx.notify_two_factor(Notice::TwoFactorNotice, email, None, detail);
    if let Err(e) = mail.await {
        log::warn!("two-factor notice to {email} not sent: {e}");
    }
}

/// Who is setting up two-factor: a signed-in user, or a sign-in that must
/// set it up before it completes (`two_factor_required`).
enum Who {
    SignedIn(User),
    Pending(SetupPending),
}

impl Who {
    fn user(&self) -> &User {
        match self {
            Who::SignedIn(user) => user,
            Who::Pending(pending) => &pending.user,
        }
    }

    fn pending(&self) -> Option<&SetupPending> {
        match self {
            Who::Pending(pending) => Some(pending),
            Who::SignedIn(_) => None,
        }
    }
}

/// The signed-in user, or else this browser's sign-in waiting for a setup;
/// neither: the guard's own refusal.
async fn who(
    ctx: &Ctx<'_>,
    db: &mut Connection,
    signed_in: Result<User, Error>,
) -> Result<Who, Error> {
    let refusal = match signed_in {
        Ok(user) => return Ok(Who::SignedIn(user)),
        Err(refusal @ Error::Unauthenticated { .. }) => refusal,
        Err(other) => return Err(other),
    };
    let found = match ctx.jar.pending() {
        Some(token) => two_factor::find_setup_pending(db, &ctx.security.config, &token).await?,
        None => None,
    };
    found.map(Who::Pending).ok_or(refusal)
}
