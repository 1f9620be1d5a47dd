//! Sign-in and sign-out (Flask-Security's `/login` and `/logout`), for
//! browsers (form, redirect to a safe `next`) and JSON clients (envelope with
//! an auth token). With `generic_responses`, an unknown email and a wrong
//! password get the same reply.

use crate::accounts::limits;
use crate::accounts::sign_in::{SignInFailure, SignInRefusal};
use crate::accounts::{sign_in, tokens};
use crate::db::{Connection, Db};
use crate::domain::Password;
use crate::error::{Error, FieldErrors};
use crate::flows::messages::*;
use crate::flows::passwordless;
use crate::flows::shared;
use crate::http::ctx::Ctx;
use crate::http::ctx::SignInStep;
use crate::http::input::{Field, Input, SignInInput};
use crate::http::page::safe_next;
use crate::http::reply::Reply;
use crate::http::sign_in::log_out_user;
use crate::i18n::Msg;
use crate::models::TokenContext;
use rocket::response::Redirect;
use rocket::serde::json::{json, Value};
use rocket::State;
use rocket::{get, post, routes, Route};

pub fn routes() -> Vec<Route> {
    routes![login_page, login, logout, logout_with_get]
}

#[get("/login?<next>")]
fn login_page(ctx: Ctx<'_>, next: Option<&str>) -> Reply {
    if ctx.json {
        let mut response = json!({ "identity_attributes": identity_attributes(&ctx) });
        if let Some(viewer) = &ctx.viewer {
            response["user"] = json!({ "id": viewer.user.id, "email": viewer.user.email });
        }
        return ctx.ok(response);
    }
    if ctx.viewer.is_some() {
        let to = next
            .and_then(safe_next)
            .unwrap_or(&ctx.security.config.post_login_view);
        return Reply::Redirect(Redirect::found(to.to_owned()));
    }
    login_form(
        &ctx,
        next.and_then(safe_next),
        "",
        false,
        &FieldErrors::new(),
    )
}

/// `identity_attributes` of `GET /login` and `GET /us-signin`.
pub fn identity_attributes(ctx: &Ctx<'_>) -> Vec<&'static str> {
    if ctx.security.config.username_enable {
        vec!["email", "username"]
    } else {
        vec!["email"]
    }
}

fn login_form(
    ctx: &Ctx<'_>,
    next: Option<&str>,
    email: &str,
    remember: bool,
    errors: &FieldErrors,
) -> Reply {
    let templates = &ctx.security.config.templates;
    // With passwordless sign-in on, the page offers the emailed link first.
    let template = if ctx.security.config.passwordless {
        &templates.send_login
    } else {
        &templates.login_user
    };
    ctx.page(
        template,
        json!({
            "title": ctx.tr().text(Msg("LOGIN_TITLE")),
            "next": next,
            "email": email,
            "remember": remember,
            "errors": errors.to_json(&ctx.tr()),
            "form_errors": errors.form_level(&ctx.tr()),
        }),
    )
}

#[post("/login?<next>", data = "<input>")]
async fn login(
    input: Result<SignInInput, Error>,
    next: Option<&str>,
    ctx: Ctx<'_>,
    pool: &State<Db>,
) -> Result<Reply, Error> {
    let input = input?.0;
    let config = &ctx.security.config;
    // The page's second button asks for the link whatever the password
    // field holds; a JSON client asks by leaving the password out.
    let wants_link = input.field("password") == Field::Missing || input.flag("send_link");
    let typed = input.typed("email");
    if config.passwordless && wants_link {
        let next = next.and_then(safe_next);
        let form = |errors: &FieldErrors| login_form(&ctx, next, typed, false, errors);
        let mut db = pool.connection().await?;
        return passwordless::send_login_link(&input, &ctx, &mut db, form).await;
    }
    let mut errors = FieldErrors::new();
    let identity = input.sign_in_identity(config.username_enable, &mut errors);
    let password_text = input.required("password", PASSWORD_NOT_PROVIDED, &mut errors);
    let remember = input.flag("remember");
    let next = shared::requested_next(&input, next, &mut errors);

    let user = match (errors.is_empty(), &identity, password_text) {
        (true, Some((field, identity)), Some(password)) => {
            let password = Password::for_sign_in(password);
            let ip = ctx.client.ip.as_deref();
            let field = *field;
            match sign_in::sign_in_with_password(pool, ctx.security, identity, &password, ip)
                .await?
            {
                Ok(user) => Some(user),
                Err(SignInRefusal::Throttled(wait)) => return Err(limits::too_many(wait)),
                Err(SignInRefusal::Failed(failure)) => {
                    let (field, message) = match failure {
                        SignInFailure::UnknownUser => (field, USER_DOES_NOT_EXIST),
                        SignInFailure::WrongPassword => ("password", INVALID_PASSWORD),
                        SignInFailure::Unconfirmed => (field, CONFIRMATION_REQUIRED),
                        SignInFailure::Disabled => (field, DISABLED_ACCOUNT),
                    };
                    errors.add(field, message);
                    // Only someone who knew the password may learn the
                    // account's state; everything else stays generic.
                    let proven = matches!(
                        failure,
                        SignInFailure::Unconfirmed | SignInFailure::Disabled
                    );
                    if config.generic_responses && !proven {
                        errors = shared::generic(errors, &["email", "username", "password"]);
                    }
                    None
                }
            }
        }
        _ => {
            if config.generic_responses {
                errors = shared::generic(errors, &["email", "username", "password"]);
            }
            None
        }
    };

    let Some(user) = user else {
        if ctx.json {
            return Err(Error::Invalid(errors));
        }
        return Ok(login_form(&ctx, next, typed, remember, &errors));
    };

    // A connection only now: none was held while the password was hashed.
    let mut db = pool.connection().await?;
    let step = ctx.sign_in(&mut db, &user, remember).await?;
    if step != SignInStep::Complete {
        return Ok(shared::second_factor_reply(&ctx, step, next));
    }
    if ctx.json {
        let token = tokens::issue_token(&mut db, &user, TokenContext::Api, &ctx.client).await?;
        return Ok(ctx.ok(json!({
            "user": { "id": user.id, "email": user.email, "authentication_token": token },
        })));
    }
    let to = next.unwrap_or(&config.post_login_view);
    Ok(Reply::Redirect(Redirect::found(to.to_owned())))
}

#[post("/logout", data = "<input>")]
async fn logout(
    input: Result<Input, Error>,
    ctx: Ctx<'_>,
    mut db: Connection,
) -> Result<Reply, Error> {
    // Signing out a browser that has no session changes nothing, so only a
    // browser with one must prove the request is its own.
    let has_session = ctx.jar.session_token().is_some() || ctx.jar.remember_token().is_some();
    match input {
        Err(Error::Csrf(_)) if !has_session => {}
        other => drop(other?),
    }
    log_out_user(&mut db, &ctx.jar).await?;
    if ctx.json {
        return Ok(Reply::Json(Value::Object(Default::default())));
    }
    Ok(Reply::Redirect(Redirect::found(
        ctx.security.config.post_logout_view.clone(),
    )))
}

/// Signing out changes state, so it is a POST (with CSRF); a GET is refused
/// rather than silently ignored.
#[get("/logout")]
fn logout_with_get() -> Error {
    Error::MethodNotAllowed
}
