//! Usernames (Flask-Security's `username_recovery` and `change_username`):
//! `/recover-username` mails an account its username, answering the same
//! whether or not there is one to mail (differs from Flask-Security-Too,
//! as `/reset` does); `/change-username`, fresh, renames the account and
//! tells its address.

use crate::accounts::audit::Event;
use crate::accounts::username;
use crate::db::Connection;
use crate::domain::Username;
use crate::error::{Error, FieldErrors};
use crate::flows::messages::username_already_associated;
use crate::flows::shared;
use crate::http::ctx::Ctx;
use crate::http::fresh::Fresh;
use crate::http::input::Input;
use crate::http::reply::Reply;
use crate::i18n::Msg;
use crate::mail::notifier::Notice;
use crate::models::User;
use rocket::serde::json::json;
use rocket::{get, post, routes, Route};

pub const USERNAME_RECOVERY_REQUEST: Msg = Msg("USERNAME_RECOVERY_REQUEST");
pub const USERNAME_CHANGE: Msg = Msg("USERNAME_CHANGE");

pub fn recovery_routes() -> Vec<Route> {
    routes![recover_page, recover_username]
}

pub fn change_routes() -> Vec<Route> {
    routes![change_page, change_username]
}

#[get("/recover-username")]
fn recover_page(ctx: Ctx<'_>) -> Reply {
    if ctx.json {
        return ctx.ok(json!({}));
    }
    recover_form(&ctx, "", &FieldErrors::new())
}

fn recover_form(ctx: &Ctx<'_>, email: &str, errors: &FieldErrors) -> Reply {
    let template = &ctx.security.config.templates.recover_username;
    shared::email_form(
        ctx,
        template,
        Msg("TITLE_FORGOT_YOUR_USERNAME"),
        email,
        errors,
    )
}

#[post("/recover-username", data = "<input>")]
async fn recover_username(
    input: Result<Input, Error>,
    ctx: Ctx<'_>,
    mut db: Connection,
) -> Result<Reply, Error> {
    let input = input?;
    let mut errors = FieldErrors::new();
    let Some(email) = input.email(&mut errors) else {
        if ctx.json {
            return Err(Error::Invalid(errors));
        }
        return Ok(recover_form(&ctx, input.typed("email"), &errors));
    };
    shared::check_mail_limits(&ctx, &mut db, &email).await?;
    let work = async {
        let Some((user, name)) = username::of_email(&mut db, &email).await? else {
            return Ok(());
        };
        if !user.active {
            return Ok(());
        }
        ctx.notify_about(Notice::UsernameRecovery, &user.email, None, &name)
            .await?;
        ctx.record(&mut db, Event::UsernameRecovered, &user).await
    };
    shared::privately(&ctx, "username recovery", work).await;
    if ctx.json {
        return Ok(ctx.ok(json!({})));
    }
    let to = ctx.security.config.url("/login");
    Ok(ctx.redirect_with(to, "info", USERNAME_RECOVERY_REQUEST))
}

fn change_reply(ctx: &Ctx<'_>, user: &User, typed: &str, errors: &FieldErrors) -> Reply {
    if ctx.json {
        return ctx.ok(json!({
            "current_username": user.username,
            "user": user_json(user),
        }));
    }
    ctx.page(
        &ctx.security.config.templates.change_username,
        json!({
            "title": ctx.tr().text(Msg("TITLE_CHANGE_USERNAME")),
            "current_username": user.username,
            "username": typed,
            "errors": errors.to_json(&ctx.tr()),
            "form_errors": errors.form_level(&ctx.tr()),
        }),
    )
}

fn user_json(user: &User) -> rocket::serde::json::Value {
    json!({ "id": user.id, "email": user.email, "username": user.username })
}

#[get("/change-username")]
fn change_page(ctx: Ctx<'_>, current: Fresh) -> Reply {
    change_reply(&ctx, &current.user, "", &FieldErrors::new())
}

#[post("/change-username", data = "<input>")]
async fn change_username(
    input: Result<Input, Error>,
    ctx: Ctx<'_>,
    current: Fresh,
    mut db: Connection,
) -> Result<Reply, Error> {
    let input = input?;
    let user = &current.user;
    let mut errors = FieldErrors::new();
    let text = input.required("username", Username::NOT_PROVIDED, &mut errors);
    let name = text.and_then(|t| {
        Username::parse(t)
            .map_err(|m| errors.add("username", m))
            .ok()
    });
    let changed = match name {
        Some(name) => match username::change(&mut db, user, &name).await? {
            Ok(changed) => Some(changed),
            Err(username::UsernameTaken) => {
                errors.add("username", username_already_associated(name.as_str()));
                None
            }
        },
        None => None,
    };
    let Some(changed) = changed else {
        if ctx.json {
            return Err(Error::Invalid(errors));
        }
        return Ok(change_reply(&ctx, user, input.typed("username"), &errors));
    };
    ctx.record(&mut db, Event::UsernameChanged, &changed)
        .await?;
    let new_name = changed.username.as_deref().unwrap_or_default();
    let notice = ctx.notify_about(Notice::ChangeUsernameNotice, &changed.email, None, new_name);
    if let Err(e) = notice.await {
        log::warn!("change-username notice not sent: {e}");
    }
    if ctx.json {
        return Ok(ctx.ok(json!({ "user": user_json(&changed) })));
    }
    let to = ctx.security.config.url("/change-username");
    Ok(ctx.redirect_with(to, "success", USERNAME_CHANGE))
}
