//! Registration (Flask-Security's `/register`, `registerable`): creates the
//! account and signs it in (unless `confirmable`). A taken email is, with
//! `generic_responses`, answered exactly like a success so the form cannot be
//! used to find out who has an account.

use crate::accounts::audit::Event;
use crate::accounts::registration::{Signup, Taken};
use crate::accounts::{registration, tokens, username};
use crate::db::{Connection, DbConn};
use crate::domain::{Email, Password, PasswordPolicy, Username};
use crate::error::{Error, FieldErrors};
use crate::flows::confirm;
use crate::flows::messages::*;
use crate::flows::shared;
use crate::http::ctx::Ctx;
use crate::http::ctx::SignInStep;
use crate::http::input::{Input, SignInInput};
use crate::http::page::safe_next;
use crate::http::registration::{RegistrationForm, SubmittedFields};
use crate::http::reply::Reply;
use crate::i18n::Msg;
use crate::mail::notifier::Notice;
use crate::models::{TokenContext, User};
use rocket::response::Redirect;
use rocket::serde::json::json;
use rocket::{get, post, routes, Route, State};

pub fn routes() -> Vec<Route> {
    routes![register_page, register]
}

#[get("/register?<next>")]
fn register_page(ctx: Ctx<'_>, form: &State<RegistrationForm>, next: Option<&str>) -> Reply {
    if ctx.json {
        return ctx.ok(json!({}));
    }
    // Signed in already: on to where a sign-in leads, as `/login` does.
    if ctx.viewer.is_some() {
        let to = next
            .and_then(safe_next)
            .unwrap_or(&ctx.security.config.post_login_view);
        return Reply::Redirect(Redirect::found(to.to_owned()));
    }
    register_form(
        &ctx,
        next.and_then(safe_next),
        ("", ""),
        &*form.blank(),
        &FieldErrors::new(),
    )
}

fn register_form(
    ctx: &Ctx<'_>,
    next: Option<&str>,
    typed: (&str, &str),
    extra: &dyn SubmittedFields,
    errors: &FieldErrors,
) -> Reply {
    let (email, username) = typed;
    ctx.page(
        &ctx.security.config.templates.register_user,
        json!({
            "title": ctx.tr().text(Msg("REGISTER_TITLE")),
            "next": next,
            "email": email,
            "username": username,
            "extra": extra.form_values(),
            "min_length": ctx.security.config.password_min_length,
            "errors": errors.to_json(&ctx.tr()),
            "form_errors": errors.form_level(&ctx.tr()),
        }),
    )
}

/// A registration that passed validation.
struct Registration {
    email: Email,
    username: Option<Username>,
    password: Password,
}

/// The optional username (with `username_enable`): left out or blank is
/// none, anything else must follow the rules.
fn optional_username(input: &Input, ctx: &Ctx<'_>, errors: &mut FieldErrors) -> Option<Username> {
    if !ctx.security.config.username_enable {
        return None;
    }
    let text = input.optional("username", errors)?;
    if text.trim().is_empty() {
        return None;
    }
    Username::parse(text)
        .map_err(|m| errors.add("username", m))
        .ok()
}

/// Validates every field and reports every problem at once.
fn validate(input: &Input, ctx: &Ctx<'_>, errors: &mut FieldErrors) -> Option<Registration> {
    let policy = PasswordPolicy {
        min_length: ctx.security.config.password_min_length,
    };
    let email = input.email(errors);
    let username = optional_username(input, ctx, errors);
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
        (Some(email), Some(password)) if errors.is_empty() => Some(Registration {
            email,
            username,
            password,
        }),
        _ => None,
    }
}

#[post("/register?<next>", data = "<input>")]
async fn register(
    input: Result<SignInInput, Error>,
    next: Option<&str>,
    ctx: Ctx<'_>,
    form: &State<RegistrationForm>,
    mut db: Connection,
) -> Result<Reply, Error> {
    let input = input?.0;
    let config = &ctx.security.config;
    let mut errors = FieldErrors::new();
    let next = shared::requested_next(&input, next, &mut errors);
    let extra = form.parse(&input, &mut errors);
    let registration = validate(&input, &ctx, &mut errors);
    let Some(Registration {
        email,
        username,
        password,
    }) = registration.filter(|_| errors.is_empty())
    else {
        return refuse(&ctx, &input, next, &*extra, errors);
    };
    let identities: Vec<&str> = std::iter::once(email.as_str())
        .chain(username.as_ref().map(Username::as_str))
        .collect();
    shared::judge_new_password(&ctx, &password, &identities, "password", &mut errors).await;
    // A taken username is said so even with generic responses (as the
    // contract asks): usernames are public names, and `/change-username`
    // would tell anyway. Checked before the email, so the reply says
    // nothing about whether the email has an account.
    if let Some(name) = &username {
        if username::is_taken(&mut db, name, None).await? {
            errors.add("username", username_already_associated(name.as_str()));
        }
    }
    if !errors.is_empty() {
        return refuse(&ctx, &input, next, &*extra, errors);
    }

    // Whatever the outcome, a mail goes out: the same limits as every mail
    // an anonymous request can cause, counted before anything is looked up.
    shared::check_mail_limits(&ctx, &mut db, &email).await?;
    let signup = Signup {
        email: &email,
        username: username.as_ref(),
        password: &password,
    };
    let created =
        registration::register_user(&mut db, ctx.security, signup, false, true, &*extra).await?;
    let after = next.unwrap_or(&config.post_register_view).to_owned();
    // With generic responses and confirmation, a new address and a taken
    // one get the same reply: same keys (no user id, which would also tell
    // how many accounts there are), mail sent behind the reply floor.
    let hidden = config.generic_responses && config.confirmable;
    let user = match created {
        Ok(user) => user,
        Err(Taken::Username) => {
            // Lost a race for the name since the check above.
            let name = username.as_ref().map_or("", Username::as_str);
            errors.add("username", username_already_associated(name));
            return refuse(&ctx, &input, next, &*extra, errors);
        }
        Err(Taken::Email) if config.generic_responses => {
            // The address's owner hears of it, and how to get back in.
            let way_back = if config.recoverable {
                "/reset"
            } else {
                "/login"
            };
            let link = ctx.link(way_back);
            let mail = ctx.notify(Notice::WelcomeExisting, email.as_str(), Some(link), None);
            shared::privately(&ctx, "welcome_existing", mail).await;
            return Ok(registered_reply(&ctx, after, email.as_str(), None));
        }
        Err(Taken::Email) => {
            errors.add("email", email_already_associated(email.as_str()));
            return refuse(&ctx, &input, next, &*extra, errors);
        }
    };

    if config.confirmable {
        // This browser chose the password: a confirmation link followed
        // here keeps it (see `confirm`).
        ctx.jar.set_registered(user.id);
        let send = async {
            ctx.record(&mut db, Event::Registered, &user).await?;
            send_welcome(&ctx, &mut db, &user).await
        };
        if hidden {
            shared::privately(&ctx, "confirmation instructions", send).await;
        } else {
            // The account stands even if the mail fails: `POST /confirm`
            // resends.
            send.await?;
        }
        let shown = (!hidden).then_some(&user);
        return Ok(registered_reply(&ctx, after, &user.email, shown));
    }
    ctx.record(&mut db, Event::Registered, &user).await?;
    // With two-factor required, the new account sets it up first.
    let step = ctx.sign_in(&mut db, &user, false).await?;
    if config.send_register_email {
        if let Err(e) = ctx.notify(Notice::Welcome, &user.email, None, None).await {
            log::warn!("welcome mail not sent: {e}");
        }
    }
    if step != SignInStep::Complete {
        return Ok(shared::second_factor_reply(&ctx, step, None));
    }
    if ctx.json {
        let token = tokens::issue_token(&mut db, &user, TokenContext::Api, &ctx.client).await?;
        return Ok(ctx.ok(json!({
            "user": { "id": user.id, "email": user.email, "authentication_token": token },
        })));
    }
    Ok(Reply::Redirect(Redirect::found(after)))
}

/// The confirmation link of a new account, in the welcome mail or alone.
async fn send_welcome(ctx: &Ctx<'_>, db: &mut DbConn, user: &User) -> Result<(), Error> {
    let config = &ctx.security.config;
    let token = tokens::issue_link(db, user, TokenContext::Confirm).await?;
    let link = ctx.link(&format!("/confirm/{token}"));
    let notice = if config.send_register_email {
        Notice::Welcome
    } else {
        Notice::ConfirmationInstructions
    };
    ctx.notify(
        notice,
        &user.email,
        Some(link),
        Some(&config.confirm_within),
    )
    .await
}

/// "Check your mail" after a registration that signs nobody in; `user`
/// only where the reply may name the account.
fn registered_reply(ctx: &Ctx<'_>, after: String, email: &str, user: Option<&User>) -> Reply {
    let config = &ctx.security.config;
    if ctx.json {
        return ctx.ok(match user {
            Some(user) => json!({ "user": { "id": user.id, "email": user.email } }),
            None => json!({}),
        });
    }
    if config.confirmable {
        // The next page (the home page by default) shows "check your inbox"
        // with a way to resend; the same whether or not the address was new.
        ctx.jar
            .set_typed(vec![("awaiting_confirmation".into(), email.to_owned())]);
        return ctx.redirect_with(after, "info", confirm::instructions_sent(email));
    }
    Reply::Redirect(Redirect::found(after))
}

fn refuse(
    ctx: &Ctx<'_>,
    input: &Input,
    // Already checked: `shared::requested_next`.
    next: Option<&str>,
    extra: &dyn SubmittedFields,
    errors: FieldErrors,
) -> Result<Reply, Error> {
    if ctx.json {
        return Err(Error::Invalid(errors));
    }
    Ok(register_form(
        ctx,
        next,
        (input.typed("email"), input.typed("username")),
        extra,
        &errors,
    ))
}
