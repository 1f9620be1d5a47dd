//! Passkeys (Flask-Security's WebAuthn): registering keys at
//! `/wan-register` (list, options, the browser's answer) and removing them
//! at `/wan-delete`, both for a fresh sign-in. The page's script
//! (`static/webauthn.js`) calls `navigator.credentials` and posts the
//! answer as the `credential` field, as Flask-Security-Too's does.

use crate::accounts::audit::Event;
use crate::accounts::webauthn::{self as wan, WanRefusal, API_ERROR};
use crate::config::WanUsage;
use crate::db::Connection;
use crate::domain::PasskeyName;
use crate::error::{Error, FieldErrors};
use crate::http::ctx::Ctx;
use crate::http::fresh::Fresh;
use crate::http::guards::CurrentUser;
use crate::http::input::{Field, Input};
use crate::http::reply::Reply;
use crate::i18n::Msg;
use crate::models::User;
use rocket::serde::json::{json, Value};
use rocket::{get, post, routes, Route};

pub fn routes() -> Vec<Route> {
    routes![register_page, start_register, finish_register, delete_key]
}

/// The passkeys page (or its JSON): the keys, and a started registration's
/// options for the page's script.
async fn keys_reply(
    ctx: &Ctx<'_>,
    db: &mut Connection,
    user: &User,
    started: Option<(Value, String)>,
    errors: &FieldErrors,
) -> Result<Reply, Error> {
    let keys = wan::list(db, user.id, !ctx.json).await?;
    if ctx.json {
        return Ok(ctx.ok(json!({ "registered_credentials": keys })));
    }
    let started = started.map(|(options, state)| {
        json!({
            "options": options.to_string(),
            "action": ctx.security.config.url(&format!("/wan-register/{state}")),
        })
    });
    Ok(ctx.page(
        &ctx.security.config.templates.wan_register,
        json!({
            "title": ctx.tr().text(Msg("TITLE_PASSKEYS")),
            "keys": keys,
            "started": started,
            "first_allowed": ctx.security.config.webauthn.allow_as_first_factor,
            "errors": errors.to_json(&ctx.tr()),
            "form_errors": errors.form_level(&ctx.tr()),
        }),
    ))
}

#[get("/wan-register")]
async fn register_page(ctx: Ctx<'_>, current: Fresh, mut db: Connection) -> Result<Reply, Error> {
    keys_reply(&ctx, &mut db, &current.user, None, &FieldErrors::new()).await
}

/// The usage asked for: `"secondary"` when absent (as Flask-Security-Too),
/// and always when keys may not sign in on their own.
fn usage(ctx: &Ctx<'_>, input: &Input, errors: &mut FieldErrors) -> Option<WanUsage> {
    let asked = match input.field("usage") {
        Field::Missing => Some(WanUsage::Secondary),
        Field::Text("") => Some(WanUsage::Secondary),
        Field::Text(text) => WanUsage::parse(text),
        Field::WrongType => None,
    };
    let Some(asked) = asked else {
        errors.add("usage", Msg("INVALID_USAGE"));
        return None;
    };
    if ctx.security.config.webauthn.allow_as_first_factor {
        Some(asked)
    } else {
        Some(WanUsage::Secondary)
    }
}

fn name(input: &Input, errors: &mut FieldErrors) -> Option<PasskeyName> {
    let text = input.required("name", PasskeyName::REQUIRED, errors)?;
    PasskeyName::parse(text)
        .map_err(|m| errors.add("name", m))
        .ok()
}

#[post("/wan-register", data = "<input>")]
async fn start_register(
    input: Result<Input, Error>,
    ctx: Ctx<'_>,
    current: Fresh,
    mut db: Connection,
) -> Result<Reply, Error> {
    let input = input?;
    let user = &current.user;
    let mut errors = FieldErrors::new();
    let name = name(&input, &mut errors);
    let usage = usage(&ctx, &input, &mut errors);
    let (Some(name), Some(usage)) = (name, usage) else {
        return refuse(&ctx, &mut db, user, errors).await;
    };
    let config = &ctx.security.config;
    match wan::start_registration(&mut db, config, user, &name, usage).await? {
        Ok((options, state)) => {
            if ctx.json {
                return Ok(ctx.ok(json!({ "credential_options": options, "wan_state": state })));
            }
            keys_reply(&ctx, &mut db, user, Some((options, state)), &errors).await
        }
        Err(refusal) => {
            refusal.add_to(&mut errors);
            refuse(&ctx, &mut db, user, errors).await
        }
    }
}

/// A refused ceremony step: the envelope, or back to `page` with the words.
pub fn refused(ctx: &Ctx<'_>, refusal: WanRefusal, page: &str) -> Result<Reply, Error> {
    let mut errors = FieldErrors::new();
    refusal.add_to(&mut errors);
    if ctx.json {
        return Err(Error::Invalid(errors));
    }
    let said = errors.messages(&ctx.tr()).join(" ");
    Ok(ctx.redirect_with(ctx.security.config.url(page), "error", said))
}

async fn refuse(
    ctx: &Ctx<'_>,
    db: &mut Connection,
    user: &User,
    errors: FieldErrors,
) -> Result<Reply, Error> {
    if ctx.json {
        return Err(Error::Invalid(errors));
    }
    keys_reply(ctx, db, user, None, &errors).await
}

/// The browser's answer, a JSON string in `credential`.
fn credential<'a>(input: &'a Input, errors: &mut FieldErrors) -> Option<&'a str> {
    match input.field("credential") {
        Field::Text(text) if !text.trim().is_empty() => Some(text),
        _ => {
            errors.add("credential", API_ERROR);
            None
        }
    }
}

#[post("/wan-register/<wan_state>", data = "<input>")]
async fn finish_register(
    wan_state: &str,
    input: Result<Input, Error>,
    ctx: Ctx<'_>,
    current: CurrentUser,
    mut db: Connection,
) -> Result<Reply, Error> {
    let input = input?;
    let user = &current.user;
    let mut errors = FieldErrors::new();
    let config = &ctx.security.config;
    let back = config.url("/wan-register");
    let outcome = match credential(&input, &mut errors) {
        // The state is used up even when the answer is missing: a new
        // attempt starts over.
        None => match wan::take_state(&mut db, config, wan_state, "register", Some(user.id)).await?
        {
            Err(refusal) => Err(refusal),
            Ok(_) => Err(WanRefusal::Field("credential", API_ERROR.into())),
        },
        Some(text) => wan::finish_registration(&mut db, config, user, wan_state, text).await?,
    };
    let name = match outcome {
        Ok(name) => name,
        Err(refusal) => return refused(&ctx, refusal, "/wan-register"),
    };
    ctx.record(&mut db, Event::PasskeyRegistered, user).await?;
    if ctx.json {
        return Ok(ctx.ok(json!({})));
    }
    let done = Msg("WEBAUTHN_REGISTER_SUCCESSFUL").with("name", name);
    Ok(ctx.redirect_with(back, "success", done))
}

#[post("/wan-delete", data = "<input>")]
async fn delete_key(
    input: Result<Input, Error>,
    ctx: Ctx<'_>,
    current: Fresh,
    mut db: Connection,
) -> Result<Reply, Error> {
    let input = input?;
    let user = &current.user;
    let mut errors = FieldErrors::new();
    let Some(name) = name(&input, &mut errors) else {
        return refuse(&ctx, &mut db, user, errors).await;
    };
    if !wan::delete(&mut db, user, &name).await? {
        let missing = Msg("WEBAUTHN_NAME_NOT_FOUND").with("name", name.as_str());
        errors.add("name", missing);
        return refuse(&ctx, &mut db, user, errors).await;
    }
    ctx.record(&mut db, Event::PasskeyDeleted, user).await?;
    if ctx.json {
        return Ok(ctx.ok(json!({})));
    }
    let done = Msg("WEBAUTHN_CREDENTIAL_DELETED").with("name", name.as_str());
    Ok(ctx.redirect_with(ctx.security.config.url("/wan-register"), "success", done))
}
