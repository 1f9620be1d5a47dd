//! Registration (Flask-Security's `/register`, `registerable`): creates the
//! account and signs it in (unless `confirmable`). A taken email is, with
//! `generic_responses`, answered exactly like a success so the form cannot be
//! used to find out who has an account.

use super::confirm;
use super::messages::*;
use crate::app::registration::ExtraFields;
use crate::db::Connection;
use crate::domain::{Email, Password, PasswordPolicy};
use crate::error::{Error, FieldErrors};
use crate::mail::notifier::Notice;
use crate::models::TokenContext;
use crate::security::auth::log_in_user;
use crate::security::page::{safe_next, Ctx, Reply};
use crate::security::request::Input;
use crate::security::service::{self, EmailTaken};
use rocket::response::Redirect;
use rocket::serde::json::json;
use rocket::{get, post, routes, Route};

pub fn routes() -> Vec<Route> {
    routes![register_page, register]
}

#[get("/register?<next>")]
fn register_page(ctx: Ctx<'_>, next: Option<&str>) -> Reply {
    if ctx.json {
        return ctx.ok(json!({}));
    }
    register_form(
        &ctx,
        next.and_then(safe_next),
        "",
        &ExtraFields::default(),
        &FieldErrors::new(),
    )
}

fn register_form(
    ctx: &Ctx<'_>,
    next: Option<&str>,
    email: &str,
    extra: &ExtraFields,
    errors: &FieldErrors,
) -> Reply {
    ctx.page(
        &ctx.security.config.templates.register_user,
        json!({
            "title": "Create an account",
            "next": next,
            "email": email,
            "extra": extra.form_values(),
            "min_length": ctx.security.config.password_min_length,
            "errors": errors.to_json(),
            "form_errors": errors.form_level(),
        }),
    )
}

/// A registration that passed validation.
struct Registration {
    email: Email,
    password: Password,
}

/// Validates every field and reports every problem at once.
fn validate(input: &Input, ctx: &Ctx<'_>, errors: &mut FieldErrors) -> Option<Registration> {
    let policy = PasswordPolicy {
        min_length: ctx.security.config.password_min_length,
    };
    let email = input.email(errors);
    let password_text = input.required("password", PASSWORD_NOT_PROVIDED, errors);
    let password = password_text.and_then(|text| {
        policy
            .parse(text)
            .map_err(|m| errors.add("password", m))
            .ok()
    });
    // A JSON client may leave the confirmation out; a form must repeat it.
    let confirm = if ctx.json {
        input.optional("password_confirm", errors)
    } else {
        input.required("password_confirm", PASSWORD_NOT_PROVIDED, errors)
    };
    if let (Some(password), Some(confirm)) = (password_text, confirm) {
        if password != confirm {
            errors.add("password_confirm", PASSWORDS_DO_NOT_MATCH);
        }
    }
    match (email, password) {
        (Some(email), Some(password)) if errors.is_empty() => {
            Some(Registration { email, password })
        }
        _ => None,
    }
}

#[post("/register?<next>", data = "<input>")]
async fn register(
    input: Result<Input, Error>,
    next: Option<&str>,
    ctx: Ctx<'_>,
    mut db: Connection,
) -> Result<Reply, Error> {
    let input = input?;
    let config = &ctx.security.config;
    let mut errors = FieldErrors::new();
    let next = input.optional("next", &mut errors).or(next);
    if next.is_some_and(|n| safe_next(n).is_none()) {
        errors.add("next", INVALID_REDIRECT);
    }
    let extra = ExtraFields::parse(&input, &mut errors);
    let registration = validate(&input, &ctx, &mut errors);
    let Some(Registration { email, password }) = registration.filter(|_| errors.is_empty()) else {
        return refuse(&ctx, &input, next, &extra, errors);
    };

    let created = service::register_user(
        &mut db,
        ctx.security,
        &email,
        &password,
        false,
        true,
        &extra,
    )
    .await?;
    let after = next
        .and_then(safe_next)
        .unwrap_or(&config.post_register_view)
        .to_owned();
    let user = match created {
        Ok(user) => {
            ctx.record(&mut db, service::Event::Registered, &user)
                .await?;
            user
        }
        Err(EmailTaken) if config.generic_responses => {
            // Indistinguishable from a success that signs nobody in; the
            // address's owner hears of it, and how to get back in.
            let way_back = if config.recoverable {
                "/reset"
            } else {
                "/login"
            };
            let link = ctx.link(way_back);
            if let Err(e) = ctx
                .notify(Notice::WelcomeExisting, email.as_str(), Some(link), None)
                .await
            {
                log::warn!("welcome_existing not sent: {e}");
            }
            if config.confirmable && !ctx.json {
                let message = confirm::instructions_sent(email.as_str());
                return Ok(ctx.redirect_with(after, "info", &message));
            }
            return Ok(if ctx.json {
                ctx.ok(json!({}))
            } else {
                Reply::Redirect(Redirect::found(after))
            });
        }
        Err(EmailTaken) => {
            errors.add(
                "email",
                format!("{} is already associated with an account.", email.as_str()),
            );
            return refuse(&ctx, &input, next, &extra, errors);
        }
    };

    if config.confirmable {
        // The account stands even if the mail fails: `POST /confirm` resends.
        let token = service::issue_link(&mut db, &user, TokenContext::Confirm).await?;
        let link = ctx.link(&format!("/confirm/{token}"));
        let notice = if config.send_register_email {
            Notice::Welcome
        } else {
            Notice::ConfirmationInstructions
        };
        let within = Some(&config.confirm_within);
        ctx.notify(notice, &user.email, Some(link), within).await?;
        return Ok(if ctx.json {
            ctx.ok(json!({ "user": { "id": user.id, "email": user.email } }))
        } else {
            ctx.redirect_with(after, "info", &confirm::instructions_sent(&user.email))
        });
    }
    log_in_user(&mut db, ctx.security, &ctx.jar, &ctx.client, &user, false).await?;
    if config.send_register_email {
        if let Err(e) = ctx.notify(Notice::Welcome, &user.email, None, None).await {
            log::warn!("welcome mail not sent: {e}");
        }
    }
    if ctx.json {
        let token = service::issue_token(&mut db, &user, TokenContext::Api, &ctx.client).await?;
        return Ok(ctx.ok(json!({
            "user": { "id": user.id, "email": user.email, "authentication_token": token },
        })));
    }
    Ok(Reply::Redirect(Redirect::found(after)))
}

fn refuse(
    ctx: &Ctx<'_>,
    input: &Input,
    next: Option<&str>,
    extra: &ExtraFields,
    errors: FieldErrors,
) -> Result<Reply, Error> {
    if ctx.json {
        return Err(Error::Invalid(errors));
    }
    let email = match input.field("email") {
        crate::security::request::Field::Text(text) => text,
        _ => "",
    };
    Ok(register_form(
        ctx,
        next.and_then(safe_next),
        email,
        extra,
        &errors,
    ))
}
