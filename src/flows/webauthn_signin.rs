//! Passkeys, using a key: `/wan-signin` signs in with one (usernameless
//! when no identity is given), or completes a pending two-factor sign-in
//! with the account's own second-factor key; `/wan-verify` re-authenticates
//! the signed-in account with one of its keys. A success is a password
//! sign-in in every respect: session, remember-me, tracking, limits, audit.

use crate::accounts::audit::{record, Event};
use crate::accounts::limits;
use crate::accounts::sign_in::find_by_identity;
use crate::accounts::tokens;
use crate::accounts::two_factor::{self, Pending};
use crate::accounts::webauthn::{discard_state, WanRefusal, API_ERROR};
use crate::accounts::webauthn_signin::{self as signin, Ask, Purpose, Step};
use crate::config::WanUsage;
use crate::db::{Connection, DbConn};
use crate::domain::{secret, Identity};
use crate::error::{Error, FieldErrors};
use crate::flows::messages::{CONFIRMATION_REQUIRED, DISABLED_ACCOUNT};
use crate::flows::shared;
use crate::flows::two_factor_validate::{anonymous_only, finish_sign_in};
use crate::flows::verify;
use crate::flows::webauthn::refused;
use crate::http::ctx::{Ctx, SignInStep};
use crate::http::guards::SignedIn;
use crate::http::input::{Field, Input, SignInInput};
use crate::http::reply::Reply;
use crate::http::sign_in::log_in_user;
use crate::i18n::Msg;
use crate::models::TokenContext;
use rocket::response::Redirect;
use rocket::serde::json::{json, Value};
use rocket::{get, post, routes, Route};

pub fn routes(verify: bool) -> Vec<Route> {
    let mut routes = routes![signin_page, start_signin, finish_signin];
    if verify {
        routes.extend(routes![start_verify, finish_verify]);
    }
    routes
}

/// This browser's pending two-factor sign-in, and its token's hash.
async fn pending(ctx: &Ctx<'_>, db: &mut DbConn) -> Result<Option<(Pending, Vec<u8>)>, Error> {
    let config = &ctx.security.config;
    let Some(token) = ctx.jar.pending() else {
        return Ok(None);
    };
    let found = two_factor::find_pending(db, config, &token).await?;
    Ok(found.map(|p| (p, secret::hash(&token))))
}

/// The page's form, or the started ceremony for its script.
fn signin_reply(ctx: &Ctx<'_>, secondary: bool, started: Option<(Value, String, bool)>) -> Reply {
    if ctx.json {
        return match started {
            Some((options, state, remember)) => ctx.ok(json!({
                "credential_options": options,
                "wan_state": state,
                "remember": remember,
                "is_secondary": secondary,
            })),
            None => ctx.ok(json!({ "is_secondary": secondary })),
        };
    }
    let started = started.map(|(options, state, remember)| {
        json!({
            "options": options.to_string(),
            "action": ctx.security.config.url(&format!("/wan-signin/{state}")),
            "remember": remember,
        })
    });
    ctx.page(
        &ctx.security.config.templates.wan_signin,
        json!({
            "title": ctx.tr().text(Msg("TITLE_PASSKEY_SIGN_IN")),
            "is_secondary": secondary,
            "started": started,
            "identity": "",
            "errors": {},
            "form_errors": [],
        }),
    )
}

#[get("/wan-signin")]
async fn signin_page(ctx: Ctx<'_>, mut db: Connection) -> Result<Reply, Error> {
    if ctx.viewer.is_some() {
        return anonymous_only(&ctx);
    }
    let secondary = pending(&ctx, &mut db).await?.is_some();
    if !secondary && !ctx.security.config.webauthn.allow_as_first_factor {
        return Err(Error::NotFound);
    }
    Ok(signin_reply(&ctx, secondary, None))
}

#[post("/wan-signin", data = "<input>")]
async fn start_signin(
    input: Result<SignInInput, Error>,
    ctx: Ctx<'_>,
    mut db: Connection,
) -> Result<Reply, Error> {
    let input = input?.0;
    if ctx.viewer.is_some() {
        return anonymous_only(&ctx);
    }
    let config = &ctx.security.config;
    let pending = pending(&ctx, &mut db).await?;
    let (options, state, remember, secondary) = match &pending {
        Some((pending, hash)) => {
            let ask = Ask {
                purpose: Purpose::SecondFactor,
                user: Some(&pending.user),
                usages: &[WanUsage::Secondary],
                pending_hash: Some(hash),
                remember: pending.remember,
            };
            let (options, state) = signin::start(&mut db, config, ask).await?;
            (options, state, pending.remember, true)
        }
        None if !config.webauthn.allow_as_first_factor => return Err(Error::NotFound),
        None => {
            // Whatever the identity, the same reply: an unknown one, a
            // disabled account and one without keys all get `[]`.
            let typed = match input.field("identity") {
                Field::Text(text) if !text.trim().is_empty() => Some(text),
                _ => None,
            };
            let identity =
                typed.and_then(|t| Identity::for_sign_in(t, config.username_enable).ok());
            let user = match &identity {
                Some(identity) => find_by_identity(&mut db, identity).await?,
                None => None,
            };
            let remember = input.flag("remember");
            let ask = Ask {
                purpose: Purpose::SignIn,
                user: user.as_ref(),
                usages: &[WanUsage::First],
                pending_hash: None,
                remember,
            };
            let (options, state) = signin::start(&mut db, config, ask).await?;
            (options, state, remember, false)
        }
    };
    Ok(signin_reply(
        &ctx,
        secondary,
        Some((options, state, remember)),
    ))
}

fn credential(input: &Input) -> Option<&str> {
    match input.field("credential") {
        Field::Text(text) if !text.trim().is_empty() => Some(text),
        _ => None,
    }
}

#[post("/wan-signin/<wan_state>?<next>", data = "<input>")]
async fn finish_signin(
    wan_state: &str,
    next: Option<&str>,
    input: Result<SignInInput, Error>,
    ctx: Ctx<'_>,
    mut db: Connection,
) -> Result<Reply, Error> {
    let input = input?.0;
    if ctx.viewer.is_some() {
        return anonymous_only(&ctx);
    }
    let config = &ctx.security.config;
    let mut errors = FieldErrors::new();
    let next = shared::requested_next(&input, next, &mut errors);
    let pending = pending(&ctx, &mut db).await?;
    let text = credential(&input).unwrap_or("");
    // Failed assertions count as wrong passwords do: per key and per IP.
    let ip = ctx.client.ip.as_deref();
    let key = signin::credential_id_of(text).map(|id| format!("wan:{}", secret::encode(&id)));
    let limits = limits::sign_in_limits(&config.rate_limits, key.as_deref(), ip);
    if let Some(wait) = limits::exceeded(&mut db, &limits).await? {
        return Err(limits::too_many(wait));
    }
    let step = Step {
        token: wan_state,
        purpose: if pending.is_some() {
            Purpose::SecondFactor
        } else {
            Purpose::SignIn
        },
        expected: pending.as_ref().map(|(p, _)| p.user.id),
        pending_hash: pending.as_ref().map(|(_, h)| h.as_slice()),
    };
    let outcome = if text.is_empty() {
        // The state is used up all the same.
        discard_state(&mut db, wan_state).await?;
        Err(WanRefusal::Field("credential", API_ERROR.into()))
    } else {
        signin::finish(&mut db, config, step, text, ip).await?
    };
    let asserted = match outcome {
        Ok(asserted) => asserted,
        Err(refusal) => {
            limits::hit(&mut db, &limits).await?;
            record(&mut db, Event::LoginFailed, None, key.as_deref(), ip).await?;
            return refused(&ctx, refusal, "/wan-signin");
        }
    };
    let user = &asserted.user;
    let blocked = if !user.active {
        Some(DISABLED_ACCOUNT)
    } else if config.confirmable && user.confirmed_at.is_none() {
        Some(CONFIRMATION_REQUIRED)
    } else {
        None
    };
    if let Some(message) = blocked {
        return refused(
            &ctx,
            WanRefusal::Field("credential", message.into()),
            "/wan-signin",
        );
    }
    limits::forgive(&mut db, &limits).await?;
    if let Some((pending, _)) = &pending {
        return finish_sign_in(&ctx, &mut db, pending.id, user, pending.remember, next).await;
    }
    let remember = input.flag("remember");
    // A passkey with user verification is two factors in one.
    let step = if asserted.verified && config.webauthn.allow_as_multi_factor {
        log_in_user(&mut db, ctx.security, &ctx.jar, &ctx.client, user, remember).await?;
        SignInStep::Complete
    } else {
        ctx.sign_in(&mut db, user, remember).await?
    };
    if step != SignInStep::Complete {
        return Ok(shared::second_factor_reply(&ctx, step, next));
    }
    let to = next.unwrap_or(&config.post_login_view).to_owned();
    if ctx.json {
        let token = tokens::issue_token(&mut db, user, TokenContext::Api, &ctx.client).await?;
        return Ok(ctx.ok(json!({
            "user": { "id": user.id, "email": user.email, "authentication_token": token },
            "tf_required": false,
            "post_login_url": to,
        })));
    }
    Ok(Reply::Redirect(Redirect::found(to)))
}

#[post("/wan-verify?<next>", data = "<input>")]
async fn start_verify(
    input: Result<Input, Error>,
    next: Option<&str>,
    current: SignedIn,
    ctx: Ctx<'_>,
    mut db: Connection,
) -> Result<Reply, Error> {
    let input = input?;
    let config = &ctx.security.config;
    let mut errors = FieldErrors::new();
    let next = shared::requested_next(&input, next, &mut errors);
    let ask = Ask {
        purpose: Purpose::Verify,
        user: Some(&current.user),
        usages: &config.webauthn.allow_as_verify,
        pending_hash: None,
        remember: false,
    };
    let (options, state) = signin::start(&mut db, config, ask).await?;
    if ctx.json {
        return Ok(ctx.ok(json!({ "credential_options": options, "wan_state": state })));
    }
    let query = next
        .map(|n| format!("?next={}", rocket::http::RawStr::new(n).percent_encode()))
        .unwrap_or_default();
    let started = json!({
        "options": options.to_string(),
        "action": config.url(&format!("/wan-verify/{state}{query}")),
        "remember": false,
    });
    Ok(ctx.page(
        &config.templates.wan_signin,
        json!({
            "title": ctx.tr().text(Msg("TITLE_CONFIRM_IT_IS_YOU")),
            "is_secondary": false,
            "started": started,
            "identity": "",
            "errors": {},
            "form_errors": [],
        }),
    ))
}

#[post("/wan-verify/<wan_state>?<next>", data = "<input>")]
async fn finish_verify(
    wan_state: &str,
    next: Option<&str>,
    input: Result<Input, Error>,
    current: SignedIn,
    ctx: Ctx<'_>,
    mut db: Connection,
) -> Result<Reply, Error> {
    let input = input?;
    let config = &ctx.security.config;
    let mut errors = FieldErrors::new();
    let next = shared::requested_next(&input, next, &mut errors);
    let ip = ctx.client.ip.as_deref();
    let step = Step {
        token: wan_state,
        purpose: Purpose::Verify,
        expected: Some(current.id),
        pending_hash: None,
    };
    let outcome = match credential(&input) {
        Some(text) => signin::finish(&mut db, config, step, text, ip).await?,
        None => {
            discard_state(&mut db, wan_state).await?;
            Err(WanRefusal::Field("credential", API_ERROR.into()))
        }
    };
    match outcome {
        Ok(_) => verify::reauthenticated(&ctx, &mut db, &current, next).await,
        Err(refusal) => refused(&ctx, refusal, "/verify"),
    }
}
