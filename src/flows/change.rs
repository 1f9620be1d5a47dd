//! Change password (Flask-Security's `/change`, `changeable`): the signed-in
//! user proves the current password and picks a new one. Every other
//! session, remember-me cookie and auth token of the user dies; the browser
//! that made the change stays signed in on a fresh session.

use crate::accounts::audit::Event;
use crate::accounts::{passwords, sessions, tokens};
use crate::config::AuthMethod;
use crate::db::Connection;
use crate::domain::{Password, PasswordPolicy};
use crate::error::{Error, FieldErrors};
use crate::flows::messages::*;
use crate::flows::shared;
use crate::http::ctx::Ctx;
use crate::http::guards::CurrentUser;
use crate::http::input::Input;
use crate::http::reply::Reply;
use crate::i18n::Msg;
use crate::mail::notifier::Notice;
use crate::models::TokenContext;
use rocket::serde::json::json;
use rocket::{get, post, routes, Route};

pub const PASSWORD_IS_THE_SAME: Msg = Msg("PASSWORD_IS_THE_SAME");
pub const PASSWORD_CHANGED: Msg = Msg("PASSWORD_CHANGE");

pub fn routes() -> Vec<Route> {
    routes![change_page, change]
}

#[get("/change")]
fn change_page(ctx: Ctx<'_>, current: CurrentUser) -> Reply {
    if ctx.json {
        return ctx.ok(json!({ "user": { "id": current.user.id, "email": current.user.email } }));
    }
    change_form(&ctx, &FieldErrors::new())
}

fn change_form(ctx: &Ctx<'_>, errors: &FieldErrors) -> Reply {
    ctx.page(
        &ctx.security.config.templates.change_password,
        json!({
            "title": ctx.tr().text(Msg("TITLE_CHANGE_PASSWORD")),
            "min_length": ctx.security.config.password_min_length,
            "errors": errors.to_json(&ctx.tr()),
            "form_errors": errors.form_level(&ctx.tr()),
        }),
    )
}

#[post("/change", data = "<input>")]
async fn change(
    input: Result<Input, Error>,
    current: CurrentUser,
    ctx: Ctx<'_>,
    mut db: Connection,
) -> Result<Reply, Error> {
    let input = input?;
    let security = ctx.security;
    let user = &current.user;
    let mut errors = FieldErrors::new();
    let policy = PasswordPolicy {
        min_length: security.config.password_min_length,
    };

    let old = input.required("password", PASSWORD_NOT_PROVIDED, &mut errors);
    let new_text = input.required("new_password", PASSWORD_NOT_PROVIDED, &mut errors);
    let confirm = input.required("new_password_confirm", PASSWORD_NOT_PROVIDED, &mut errors);
    let new = new_text.and_then(|t| {
        policy
            .parse(t)
            .map_err(|m| errors.add("new_password", m))
            .ok()
    });
    if let (Some(new), Some(confirm)) = (new_text, confirm) {
        if new != confirm {
            errors.add("new_password_confirm", PASSWORDS_DO_NOT_MATCH);
        }
    }
    if let Some(old) = old {
        let old = Password::for_sign_in(old);
        let check = security
            .hasher
            .verify(Some(&user.password_hash), &old)
            .await?;
        if !check.valid {
            errors.add("password", INVALID_PASSWORD);
        } else if new.as_ref().is_some_and(|new| new.expose() == old.expose()) {
            errors.add("password", PASSWORD_IS_THE_SAME);
        }
    }
    if let Some(password) = new.as_ref().filter(|_| errors.is_empty()) {
        let identities = user.identities();
        shared::judge_new_password(&ctx, password, &identities, "new_password", &mut errors).await;
    }
    let new = match new {
        Some(new) if errors.is_empty() => new,
        _ if ctx.json => return Err(Error::Invalid(errors)),
        _ => return Ok(change_form(&ctx, &errors)),
    };

    passwords::change_password(&mut db, security, user, &new).await?;
    ctx.record(&mut db, Event::PasswordChanged, user).await?;
    if security.config.send_password_change_email {
        shared::notify_quietly(&ctx, Notice::ChangeNotice, &user.email).await;
    }
    // Everything was revoked; a browser that used its session keeps going
    // on a new one (and keeps "remember me" if it had it).
    if current.method == AuthMethod::Session {
        let remember = ctx.jar.remember_token().is_some();
        let session = sessions::start_session(
            &mut db,
            &security.config,
            user,
            &ctx.client,
            remember,
            sessions::SessionStart::Renewed,
        )
        .await?;
        // A change of privilege: CSRF tokens from before it stop working.
        ctx.jar.rotate_csrf();
        ctx.jar.set_session_token(&session.session_token);
        if let Some(token) = &session.remember_token {
            ctx.jar.set_remember_token(token);
        }
    }
    if ctx.json {
        let token = tokens::issue_token(&mut db, user, TokenContext::Api, &ctx.client).await?;
        return Ok(ctx.ok(json!({
            "user": { "id": user.id, "email": user.email, "authentication_token": token },
        })));
    }
    Ok(ctx.redirect_with(
        security.config.post_change_view.clone(),
        "success",
        PASSWORD_CHANGED,
    ))
}
