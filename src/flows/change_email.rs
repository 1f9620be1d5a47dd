//! Change email (Flask-Security's `/change-email`): a signed-in, fresh user
//! asks for a new address; the link goes to that address only, and the
//! account moves when it is followed. Afterwards the *old* address is told
//! (beyond Flask-Security-Too: OWASP ASVS V2.2.3).

use crate::accounts::audit::Event;
use crate::accounts::change_email::{self, Outcome};
use crate::db::Connection;
use crate::error::{Error, FieldErrors};
use crate::flows::messages::email_already_associated;
use crate::flows::shared;
use crate::http::ctx::Ctx;
use crate::http::fresh::Fresh;
use crate::http::input::Input;
use crate::http::reply::Reply;
use crate::i18n::{Message, Msg};
use crate::mail::notifier::Notice;
use crate::models::User;
use rocket::serde::json::json;
use rocket::{get, post, routes, Route};

pub const CHANGE_EMAIL_CONFIRMED: Msg = Msg("CHANGE_EMAIL_CONFIRMED");
pub const CHANGE_EMAIL_EXPIRED: Msg = Msg("CHANGE_EMAIL_EXPIRED");
pub const CHANGE_EMAIL_INVALID: Msg = Msg("CHANGE_EMAIL_INVALID");
pub const CHANGE_EMAIL_TAKEN: Msg = Msg("CHANGE_EMAIL_TAKEN");

pub fn routes() -> Vec<Route> {
    routes![change_email_page, request_change, follow_link]
}

fn change_sent(email: &str) -> Message {
    Msg("CHANGE_EMAIL_SENT").with("email", email)
}

fn reply(ctx: &Ctx<'_>, user: &User, errors: &FieldErrors, email: &str) -> Reply {
    if ctx.json {
        return ctx.ok(json!({
            "current_email": user.email,
            "user": { "id": user.id, "email": user.email },
        }));
    }
    ctx.page(
        &ctx.security.config.templates.change_email,
        json!({
            "title": ctx.tr().text(Msg("TITLE_CHANGE_EMAIL_ADDRESS")),
            "current_email": user.email,
            "email": email,
            "errors": errors.to_json(&ctx.tr()),
            "form_errors": errors.form_level(&ctx.tr()),
        }),
    )
}

#[get("/change-email")]
fn change_email_page(ctx: Ctx<'_>, current: Fresh) -> Reply {
    reply(&ctx, &current.user, &FieldErrors::new(), "")
}

#[post("/change-email", data = "<input>")]
async fn request_change(
    input: Result<Input, Error>,
    ctx: Ctx<'_>,
    current: Fresh,
    mut db: Connection,
) -> Result<Reply, Error> {
    let input = input?;
    let user = &current.user;
    let mut errors = FieldErrors::new();
    let Some(new) = input.email(&mut errors) else {
        if ctx.json {
            return Err(Error::Invalid(errors));
        }
        return Ok(reply(&ctx, user, &errors, input.typed("email")));
    };
    let config = &ctx.security.config;
    let done = |ctx: &Ctx<'_>| {
        if ctx.json {
            reply(ctx, user, &FieldErrors::new(), "")
        } else {
            let to = config.url("/change-email");
            ctx.redirect_with(to, "info", change_sent(new.as_str()))
        }
    };
    if change_email::is_taken(&mut db, &new).await? {
        // Generic replies: a taken address looks like success, and nobody
        // is mailed (as Flask-Security-Too).
        if config.generic_responses {
            return Ok(done(&ctx));
        }
        errors.add("email", email_already_associated(new.as_str()));
        if ctx.json {
            return Err(Error::Invalid(errors));
        }
        return Ok(reply(&ctx, user, &errors, new.as_str()));
    }
    shared::check_mail_limits(&ctx, &mut db, &new).await?;
    let token = change_email::issue(&mut db, user, &new).await?;
    let link = ctx.link(&format!("/change-email/{token}"));
    let within = &config.change_email_within;
    ctx.notify_about(
        Notice::ChangeEmailInstructions,
        new.as_str(),
        Some((link, within)),
        &user.email,
    )
    .await?;
    ctx.record(&mut db, Event::EmailChangeRequested, user)
        .await?;
    Ok(done(&ctx))
}

/// Always a redirect (browsers and JSON clients alike, as
/// Flask-Security-Too): the change itself, or why not.
#[get("/change-email/<token>")]
async fn follow_link(token: &str, ctx: Ctx<'_>, mut db: Connection) -> Result<Reply, Error> {
    let config = &ctx.security.config;
    let refused = |message: Msg| ctx.redirect_with(config.url("/change-email"), "error", message);
    let (user, old) = match change_email::follow(&mut db, config, token).await? {
        Outcome::Changed { user, old } => (user, old),
        Outcome::Expired => return Ok(refused(CHANGE_EMAIL_EXPIRED)),
        Outcome::Invalid => return Ok(refused(CHANGE_EMAIL_INVALID)),
        Outcome::Taken => return Ok(refused(CHANGE_EMAIL_TAKEN)),
    };
    ctx.record(&mut db, Event::EmailChanged, &user).await?;
    // The old address hears of it, and only it: whoever lost the account
    // is the one who must know.
    let notice = ctx.notify_about(Notice::ChangeEmailNotice, &old, None, &user.email);
    if let Err(e) = notice.await {
        log::warn!("change-email notice not sent: {e}");
    }
    Ok(ctx.redirect_with(
        config.post_login_view.clone(),
        "success",
        CHANGE_EMAIL_CONFIRMED,
    ))
}
