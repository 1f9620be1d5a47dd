//! Passwordless sign-in (Flask-Security's `passwordless`): `POST /login` with
//! only an email mails a single-use link; following it signs in. The reply
//! is the same whether or not the account exists.
//!
//! Credential pre-stuffing (Phoenix's warning): someone could register a
//! victim's address with a password they know and wait. So an unconfirmed
//! account (when `confirmable`) gets no link, and the first confirmation ends
//! every session and token the account had.

use crate::accounts::tokens::Link;
use crate::accounts::{registration, tokens};
use crate::db::Connection;
use crate::error::{Error, FieldErrors};
use crate::flows::shared;
use crate::http::ctx::Ctx;
use crate::http::ctx::SignInStep;
use crate::http::input::Input;
use crate::http::reply::Reply;
use crate::i18n::{Message, Msg};
use crate::models::TokenContext;
use rocket::serde::json::json;
use rocket::{get, routes, Route};

pub const INVALID_LOGIN_TOKEN: Msg = Msg("INVALID_LOGIN_TOKEN");
pub const SIGNED_IN: Msg = Msg("PASSWORDLESS_LOGIN_SUCCESSFUL");

pub fn routes() -> Vec<Route> {
    routes![login_with_link]
}

pub fn instructions_sent(email: &str) -> Message {
    Msg("LOGIN_EMAIL_SENT").with("email", email)
}

/// `POST /login` without a password, when passwordless sign-in is on.
pub async fn send_login_link(
    input: &Input,
    ctx: &Ctx<'_>,
    db: &mut crate::db::DbConn,
    login_form: impl FnOnce(&FieldErrors) -> Reply,
) -> Result<Reply, Error> {
    let config = &ctx.security.config;
    let mut errors = FieldErrors::new();
    let email = input.email(&mut errors);
    let Some(email) = email else {
        if ctx.json {
            return Err(Error::Invalid(errors));
        }
        return Ok(login_form(&errors));
    };
    shared::check_mail_limits(ctx, db, &email).await?;
    let work = async {
        match registration::find_user_by_email(db, &email).await? {
            Some(user) if registration::may_use_emailed_links(config, &user) => {
                send_link(ctx, db, &user).await
            }
            _ => Ok(()),
        }
    };
    shared::privately(ctx, "sign-in link", work).await;
    if ctx.json {
        return Ok(ctx.ok(json!({})));
    }
    Ok(ctx.redirect_with(
        config.url("/login"),
        "info",
        instructions_sent(email.as_str()),
    ))
}

async fn send_link(
    ctx: &Ctx<'_>,
    db: &mut crate::db::DbConn,
    user: &crate::models::User,
) -> Result<(), Error> {
    shared::mail_link(ctx, db, user, TokenContext::Login).await
}

#[get("/login/<token>")]
async fn login_with_link(token: &str, ctx: Ctx<'_>, mut db: Connection) -> Result<Reply, Error> {
    let config = &ctx.security.config;
    let message = match tokens::check_link(&mut db, config, TokenContext::Login, token, true)
        .await?
    {
        Link::Valid(user) if registration::may_use_emailed_links(config, &user) => {
            let step = ctx.sign_in(&mut db, &user, false).await?;
            if step != SignInStep::Complete {
                return Ok(shared::second_factor_reply(&ctx, step, None));
            }
            if ctx.json {
                let api_token =
                    tokens::issue_token(&mut db, &user, TokenContext::Api, &ctx.client).await?;
                return Ok(ctx.ok(json!({
                    "user": { "id": user.id, "email": user.email, "authentication_token": api_token },
                })));
            }
            return Ok(ctx.redirect_with(config.post_login_view.clone(), "success", SIGNED_IN));
        }
        Link::Expired(user) if user.active => {
            send_link(&ctx, &mut db, &user).await?;
            Msg("LOGIN_EXPIRED")
                .with("within", config.login_within.words(&ctx.tr()))
                .with("email", &user.email)
        }
        _ => INVALID_LOGIN_TOKEN.into(),
    };
    if ctx.json {
        return Err(Error::BadRequest(message));
    }
    Ok(ctx.redirect_with(config.url("/login"), "error", message))
}
