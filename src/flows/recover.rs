//! Password reset (Flask-Security's `recoverable`): `POST /reset` mails a
//! single-use link and answers the same whether or not the account exists
//! (differs from Flask-Security, whose default reveals it). Following the
//! link shows a form; a new password ends every session and token of the
//! user and, with `auto_login_after_reset`, signs this browser in.

use crate::accounts::audit::Event;
use crate::accounts::tokens::Link;
use crate::accounts::{passwords, registration, tokens};
use crate::db::Connection;
use crate::domain::PasswordPolicy;
use crate::error::{Error, FieldErrors};
use crate::flows::messages::*;
use crate::flows::shared;
use crate::http::ctx::Ctx;
use crate::http::ctx::SignInStep;
use crate::http::input::Input;
use crate::http::reply::Reply;
use crate::i18n::{Message, Msg};
use crate::mail::notifier::Notice;
use crate::models::TokenContext;
use rocket::serde::json::json;
use rocket::{get, post, routes, Route};

pub const INVALID_RESET_TOKEN: Msg = Msg("INVALID_RESET_PASSWORD_TOKEN");
pub const PASSWORD_RESET: Msg = Msg("PASSWORD_RESET");
pub const PASSWORD_RESET_SIGN_IN: Msg = Msg("PASSWORD_RESET_NO_LOGIN");

pub fn routes() -> Vec<Route> {
    routes![forgot_page, forgot_password, reset_page, reset_password]
}

pub fn instructions_sent(email: &str) -> Message {
    Msg("PASSWORD_RESET_REQUEST").with("email", email)
}

#[get("/reset")]
fn forgot_page(ctx: Ctx<'_>) -> Reply {
    if ctx.json {
        return ctx.ok(json!({}));
    }
    forgot_form(&ctx, "", &FieldErrors::new())
}

fn forgot_form(ctx: &Ctx<'_>, email: &str, errors: &FieldErrors) -> Reply {
    let template = &ctx.security.config.templates.forgot_password;
    shared::email_form(
        ctx,
        template,
        Msg("TITLE_FORGOT_YOUR_PASSWORD"),
        email,
        errors,
    )
}

#[post("/reset", data = "<input>")]
async fn forgot_password(
    input: Result<Input, Error>,
    ctx: Ctx<'_>,
    mut db: Connection,
) -> Result<Reply, Error> {
    let input = input?;
    let config = &ctx.security.config;
    let mut errors = FieldErrors::new();
    let email = input.email(&mut errors);
    let Some(email) = email else {
        if ctx.json {
            return Err(Error::Invalid(errors));
        }
        return Ok(forgot_form(&ctx, "", &errors));
    };
    shared::check_mail_limits(&ctx, &mut db, &email).await?;
    let work = async {
        let Some(user) = registration::find_user_by_email(&mut db, &email).await? else {
            return Ok(());
        };
        // Unconfirmed accounts get a link too: whoever can read the mail owns
        // the account, and a reset replaces a password someone else may
        // have chosen when registering the address (and confirms it).
        if !user.active {
            return Ok(());
        }
        shared::mail_link(&ctx, &mut db, &user, TokenContext::Reset).await
    };
    shared::privately(&ctx, "reset instructions", work).await;
    if ctx.json {
        return Ok(ctx.ok(json!({})));
    }
    Ok(ctx.redirect_with(
        config.url("/login"),
        "info",
        instructions_sent(email.as_str()),
    ))
}

fn expired_message(ctx: &Ctx<'_>) -> Message {
    Msg("PASSWORD_RESET_EXPIRED").with("within", ctx.security.config.reset_within.words(&ctx.tr()))
}

/// The link's verdict as the reply to a bad link, or the user it is for.
async fn usable_link(
    ctx: &Ctx<'_>,
    db: &mut Connection,
    token: &str,
    consume: bool,
) -> Result<Result<crate::models::User, Reply>, Error> {
    let message = match tokens::check_link(
        db,
        &ctx.security.config,
        TokenContext::Reset,
        token,
        consume,
    )
    .await?
    {
        Link::Valid(user) if user.active => return Ok(Ok(user)),
        Link::Valid(_) | Link::Invalid => INVALID_RESET_TOKEN.into(),
        Link::Expired(_) => expired_message(ctx),
    };
    if ctx.json {
        return Err(Error::BadRequest(message));
    }
    Ok(Err(ctx.redirect_with(
        ctx.security.config.url("/reset"),
        "error",
        message,
    )))
}

#[get("/reset/<token>")]
async fn reset_page(token: &str, ctx: Ctx<'_>, mut db: Connection) -> Result<Reply, Error> {
    if let Err(refusal) = usable_link(&ctx, &mut db, token, false).await? {
        return Ok(refusal);
    }
    if ctx.json {
        return Ok(ctx.ok(json!({})));
    }
    Ok(reset_form(&ctx, token, &FieldErrors::new()))
}

fn reset_form(ctx: &Ctx<'_>, token: &str, errors: &FieldErrors) -> Reply {
    ctx.page(
        &ctx.security.config.templates.reset_password,
        json!({
            "title": ctx.tr().text(Msg("TITLE_CHOOSE_A_NEW_PASSWORD")),
            "reset_url": ctx.security.config.url(&format!("/reset/{token}")),
            "min_length": ctx.security.config.password_min_length,
            "errors": errors.to_json(&ctx.tr()),
            "form_errors": errors.form_level(&ctx.tr()),
        }),
    )
}

#[post("/reset/<token>", data = "<input>")]
async fn reset_password(
    token: &str,
    input: Result<Input, Error>,
    ctx: Ctx<'_>,
    mut db: Connection,
) -> Result<Reply, Error> {
    let input = input?;
    let security = ctx.security;
    // A bad link is refused before the form is judged, and a good one is
    // only used up once the new password is acceptable.
    let owner = match usable_link(&ctx, &mut db, token, false).await? {
        Ok(owner) => owner,
        Err(refusal) => return Ok(refusal),
    };
    let mut errors = FieldErrors::new();
    let policy = PasswordPolicy {
        min_length: security.config.password_min_length,
    };
    let password_text = input.required("password", PASSWORD_NOT_PROVIDED, &mut errors);
    let confirm = input.required("password_confirm", PASSWORD_NOT_PROVIDED, &mut errors);
    let password =
        password_text.and_then(|t| policy.parse(t).map_err(|m| errors.add("password", m)).ok());
    if let (Some(password), Some(confirm)) = (password_text, confirm) {
        if password != confirm {
            errors.add("password_confirm", PASSWORDS_DO_NOT_MATCH);
        }
    }
    if let Some(password) = password.as_ref().filter(|_| errors.is_empty()) {
        // Refused here, the link is not used up: a stronger password may follow.
        let identities = owner.identities();
        shared::judge_new_password(&ctx, password, &identities, "password", &mut errors).await;
    }
    let password = match password {
        Some(password) if errors.is_empty() => password,
        _ if ctx.json => return Err(Error::Invalid(errors)),
        _ => return Ok(reset_form(&ctx, token, &errors)),
    };
    let user = match usable_link(&ctx, &mut db, token, true).await? {
        Ok(user) => user,
        Err(refusal) => return Ok(refusal),
    };

    passwords::change_password(&mut db, security, &user, &password).await?;
    ctx.record(&mut db, Event::PasswordReset, &user).await?;
    // Following the link proved the mailbox.
    if registration::confirm_user(&mut db, &user).await? {
        ctx.record(&mut db, Event::EmailConfirmed, &user).await?;
    }
    // Whoever can read the mailbox is the owner: a lockout ends here.
    let lockout = crate::accounts::limits::lockout_keys(&user);
    crate::models::rate_limit::clear(&mut db, &lockout).await?;
    if security.config.send_password_reset_notice_email {
        shared::notify_quietly(&ctx, Notice::ResetNotice, &user.email).await;
    }
    let signs_in = security.config.auto_login_after_reset;
    if signs_in {
        let step = ctx.sign_in(&mut db, &user, false).await?;
        if step != SignInStep::Complete {
            return Ok(shared::second_factor_reply(&ctx, step, None));
        }
    }
    if ctx.json {
        return Ok(ctx.ok(if signs_in {
            json!({ "user": { "id": user.id, "email": user.email } })
        } else {
            json!({})
        }));
    }
    Ok(if signs_in {
        ctx.redirect_with(
            security.config.post_reset_view.clone(),
            "success",
            PASSWORD_RESET,
        )
    } else {
        ctx.redirect_with(
            security.config.url("/login"),
            "success",
            PASSWORD_RESET_SIGN_IN,
        )
    })
}
