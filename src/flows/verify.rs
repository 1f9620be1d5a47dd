//! Re-authentication (Flask-Security's `/verify`): a signed-in user proves
//! the password again, and the session — or a new auth token — is fresh
//! for the routes behind the freshness guard.

use crate::accounts::audit::Event;
use crate::accounts::limits;
use crate::accounts::sessions;
use crate::accounts::sign_in::{self, SignInRefusal};
use crate::accounts::tokens;
use crate::config::AuthMethod;
use crate::db::{Connection, Db, DbConn};
use crate::domain::Password;
use crate::error::{Error, FieldErrors};
use crate::flows::messages::*;
use crate::http::ctx::Ctx;
use crate::http::fresh::reauth_options;
use crate::http::guards::SignedIn;
use crate::http::input::Input;
use crate::http::page::safe_next;
use crate::http::reply::Reply;
use crate::i18n::Msg;
use crate::models::TokenContext;
use rocket::response::Redirect;
use rocket::serde::json::json;
use rocket::{get, post, routes, Route, State};

pub fn routes() -> Vec<Route> {
    routes![verify_page, verify]
}

#[get("/verify?<next>")]
async fn verify_page(
    ctx: Ctx<'_>,
    current: SignedIn,
    next: Option<&str>,
    mut db: Connection,
) -> Result<Reply, Error> {
    let options = reauth_options(&mut db, ctx.security, current.id).await?;
    if ctx.json {
        let mut body = options.to_json();
        if let Some(map) = body.as_object_mut() {
            map.remove("unified_signin_enabled");
        }
        body["user"] = json!({ "id": current.id, "email": current.email });
        return Ok(ctx.ok(body));
    }
    let keys = options.has_webauthn_verify_credential;
    Ok(verify_form(
        &ctx,
        next.and_then(safe_next),
        &FieldErrors::new(),
        keys,
    ))
}

fn verify_form(ctx: &Ctx<'_>, next: Option<&str>, errors: &FieldErrors, keys: bool) -> Reply {
    ctx.page(
        &ctx.security.config.templates.verify,
        json!({
            "title": ctx.tr().text(Msg("TITLE_CONFIRM_IT_IS_YOU")),
            "next": next,
            "has_webauthn_verify_credential": keys,
            "errors": errors.to_json(&ctx.tr()),
            "form_errors": errors.form_level(&ctx.tr()),
        }),
    )
}

#[post("/verify?<next>", data = "<input>")]
async fn verify(
    input: Result<Input, Error>,
    next: Option<&str>,
    current: SignedIn,
    ctx: Ctx<'_>,
    pool: &State<Db>,
) -> Result<Reply, Error> {
    let input = input?;
    let mut errors = FieldErrors::new();
    let next = input
        .optional("next", &mut errors)
        .or(next)
        .and_then(safe_next);
    let Some(text) = input.required("password", PASSWORD_NOT_PROVIDED, &mut errors) else {
        return refuse(&ctx, pool, &current, next, errors).await;
    };
    // The same check, limits and audit as a sign-in, for this account.
    let email = crate::domain::Email::parse(&current.email)
        .map_err(|_| Error::Internal("stored email does not parse".into()))?;
    let password = Password::for_sign_in(text);
    let ip = ctx.client.ip.as_deref();
    let identity = email.into();
    let checked = sign_in::sign_in_with_password(pool, ctx.security, &identity, &password, ip);
    match checked.await? {
        Ok(_) => {}
        Err(SignInRefusal::Throttled(wait)) => return Err(limits::too_many(wait)),
        Err(SignInRefusal::Failed(_)) => {
            errors.add("password", INVALID_PASSWORD);
            return refuse(&ctx, pool, &current, next, errors).await;
        }
    }
    let mut db = pool.connection().await?;
    reauthenticated(&ctx, &mut db, &current, next).await
}

/// The caller proved who they are again (`/verify`, `/us-verify`): the
/// session is fresh, or a JSON client gets a new token, fresh from now.
/// The signed-in account proved itself again: its session is fresh from
/// now, and the audit trail says so.
pub async fn refresh(ctx: &Ctx<'_>, db: &mut DbConn, current: &SignedIn) -> Result<(), Error> {
    if let (AuthMethod::Session, Some(id)) = (current.method, current.token_id) {
        sessions::refresh_session(db, id).await?;
        // A change of privilege: CSRF tokens from before it stop working.
        ctx.jar.rotate_csrf();
    }
    ctx.record(db, Event::Reauthenticated, &current.user).await
}

pub async fn reauthenticated(
    ctx: &Ctx<'_>,
    db: &mut DbConn,
    current: &SignedIn,
    next: Option<&str>,
) -> Result<Reply, Error> {
    refresh(ctx, db, current).await?;
    if ctx.json {
        // A token's freshness counts from its issue: a new one, fresh now.
        let token = tokens::issue_token(db, &current.user, TokenContext::Api, &ctx.client);
        return Ok(ctx.ok(json!({
            "user": { "id": current.id, "email": current.email, "authentication_token": token.await? },
        })));
    }
    let to = next.unwrap_or(&ctx.security.config.post_login_view);
    Ok(Reply::Redirect(Redirect::found(to.to_owned())))
}

async fn refuse(
    ctx: &Ctx<'_>,
    pool: &Db,
    current: &SignedIn,
    next: Option<&str>,
    errors: FieldErrors,
) -> Result<Reply, Error> {
    if ctx.json {
        return Err(Error::Invalid(errors));
    }
    let mut db = pool.connection().await?;
    let options = reauth_options(&mut db, ctx.security, current.id).await?;
    let keys = options.has_webauthn_verify_credential;
    Ok(verify_form(ctx, next, &errors, keys))
}
