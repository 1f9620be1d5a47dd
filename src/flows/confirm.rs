//! Email confirmation (Flask-Security's `confirmable`): registering mails a
//! single-use link; following it confirms the address and, with
//! `auto_login_after_confirm`, signs the user in. `POST /confirm` sends a new
//! link and answers the same whether or not the account exists.

use crate::accounts::audit::Event;
use crate::accounts::tokens::Link;
use crate::accounts::{passwords, registration, tokens};
use crate::db::{Connection, DbConn};
use crate::error::{Error, FieldErrors};
use crate::flows::shared;
use crate::http::ctx::Ctx;
use crate::http::ctx::SignInStep;
use crate::http::input::Input;
use crate::http::reply::Reply;
use crate::i18n::{Message, Msg};
use crate::models::{TokenContext, User};
use rocket::serde::json::json;
use rocket::{get, post, routes, Route};

pub const INVALID_CONFIRMATION_TOKEN: Msg = Msg("INVALID_CONFIRMATION_TOKEN");
pub const EMAIL_CONFIRMED: Msg = Msg("EMAIL_CONFIRMED");
pub const EMAIL_CONFIRMED_CHOOSE_PASSWORD: Msg = Msg("EMAIL_CONFIRMED_CHOOSE_PASSWORD");

pub fn routes() -> Vec<Route> {
    routes![confirm_page, send_confirmation, confirm_email]
}

/// Mails a fresh confirmation link to `user`.
pub async fn send_confirmation_link(
    ctx: &Ctx<'_>,
    db: &mut DbConn,
    user: &User,
) -> Result<(), Error> {
    shared::mail_link(ctx, db, user, TokenContext::Confirm).await
}

pub fn instructions_sent(email: &str) -> Message {
    Msg("CONFIRM_REGISTRATION").with("email", email)
}

#[get("/confirm")]
fn confirm_page(ctx: Ctx<'_>) -> Reply {
    if ctx.json {
        return ctx.ok(json!({}));
    }
    confirm_form(&ctx, "", &FieldErrors::new())
}

fn confirm_form(ctx: &Ctx<'_>, email: &str, errors: &FieldErrors) -> Reply {
    let template = &ctx.security.config.templates.send_confirmation;
    shared::email_form(
        ctx,
        template,
        Msg("TITLE_RESEND_CONFIRMATION_INSTRUCTIONS"),
        email,
        errors,
    )
}

#[post("/confirm", data = "<input>")]
async fn send_confirmation(
    input: Result<Input, Error>,
    ctx: Ctx<'_>,
    mut db: Connection,
) -> Result<Reply, Error> {
    let input = input?;
    let mut errors = FieldErrors::new();
    let email = input.email(&mut errors);
    let Some(email) = email else {
        if ctx.json {
            return Err(Error::Invalid(errors));
        }
        return Ok(confirm_form(&ctx, "", &errors));
    };
    // Only an active, unconfirmed account gets mail; the reply never says.
    shared::check_mail_limits(&ctx, &mut db, &email).await?;
    let work = async {
        match registration::find_user_by_email(&mut db, &email).await? {
            Some(user) if user.confirmed_at.is_none() && user.active => {
                send_confirmation_link(&ctx, &mut db, &user).await
            }
            _ => Ok(()),
        }
    };
    shared::privately(&ctx, "confirmation instructions", work).await;
    if ctx.json {
        return Ok(ctx.ok(json!({})));
    }
    Ok(ctx.redirect_with(
        ctx.security.config.url("/confirm"),
        "info",
        instructions_sent(email.as_str()),
    ))
}

#[get("/confirm/<token>")]
async fn confirm_email(token: &str, ctx: Ctx<'_>, mut db: Connection) -> Result<Reply, Error> {
    let config = &ctx.security.config;
    let user = match tokens::check_link(&mut db, config, TokenContext::Confirm, token, true).await?
    {
        Link::Valid(user) => user,
        Link::Expired(user) => {
            send_confirmation_link(&ctx, &mut db, &user).await?;
            let message = Msg("CONFIRMATION_EXPIRED")
                .with("within", config.confirm_within.words(&ctx.tr()))
                .with("email", &user.email);
            return refuse(&ctx, message);
        }
        Link::Invalid => {
            // A used link (used links are gone, so: one that could be
            // ours) followed again by its confirmed owner: nothing is
            // wrong, so say so calmly.
            let confirmed = crate::domain::secret::well_formed(token)
                && ctx
                    .viewer
                    .as_ref()
                    .is_some_and(|v| v.user.confirmed_at.is_some());
            if confirmed && !ctx.json {
                let to = config.post_confirm_view.clone();
                return Ok(ctx.redirect_with(to, "info", Msg("ALREADY_CONFIRMED")));
            }
            return refuse(&ctx, INVALID_CONFIRMATION_TOKEN.into());
        }
    };
    let mut message = EMAIL_CONFIRMED;
    if registration::confirm_user(&mut db, &user).await? {
        ctx.record(&mut db, Event::EmailConfirmed, &user).await?;
        if !ctx.jar.registered(user.id) {
            message = withdraw_password(&ctx, &mut db, &user).await?;
        }
    }
    let signs_in = config.auto_login_after_confirm && user.active;
    if signs_in {
        let step = ctx.sign_in(&mut db, &user, false).await?;
        if step != SignInStep::Complete {
            return Ok(shared::second_factor_reply(&ctx, step, None));
        }
    }
    if ctx.json {
        let mut body = json!({ "user": { "id": user.id, "email": user.email } });
        if signs_in {
            body["user"]["authentication_token"] =
                json!(tokens::issue_token(&mut db, &user, TokenContext::Api, &ctx.client).await?);
        }
        return Ok(ctx.ok(body));
    }
    let to = if signs_in {
        config.post_confirm_view.clone()
    } else {
        config.url("/login")
    };
    Ok(ctx.redirect_with(to, "success", message))
}

/// Account pre-hijacking: someone may have registered this address with a
/// password they know, and its owner has just proved the mailbox by
/// following the link — in a browser other than the one that registered.
/// The password chosen at registration stops working (the owner gets a
/// reset link to choose one); the owner is who reads the mail.
async fn withdraw_password(ctx: &Ctx<'_>, db: &mut DbConn, user: &User) -> Result<Msg, Error> {
    passwords::forget_password(db, user).await?;
    if !ctx.security.config.recoverable {
        return Ok(EMAIL_CONFIRMED);
    }
    shared::mail_link(ctx, db, user, TokenContext::Reset).await?;
    Ok(EMAIL_CONFIRMED_CHOOSE_PASSWORD)
}

/// A bad link: 400 for JSON; browsers go to the resend form with the reason.
fn refuse(ctx: &Ctx<'_>, message: Message) -> Result<Reply, Error> {
    if ctx.json {
        return Err(Error::BadRequest(message));
    }
    Ok(ctx.redirect_with(ctx.security.config.url("/confirm"), "error", message))
}
