//! OAuth and OpenID Connect sign-in (Flask-Security's `/login/oauthstart`
//! and `/login/oauthresponse`): the start redirects the browser to the
//! provider; the callback signs in exactly like a password (two-factor
//! included, remember-me never) and always answers with a redirect.

use crate::accounts::audit::{record, Event};
use crate::accounts::limits;
use crate::accounts::oauth::{self, Callback, Found, Purpose};
use crate::accounts::oauth_proof::{Failure, ProvedIdentity};
use crate::db::{Connection, DbConn};
use crate::error::Error;
use crate::flows::messages::DISABLED_ACCOUNT;
use crate::flows::shared;
use crate::flows::two_factor_validate::anonymous_only;
use crate::http::ctx::{Ctx, SignInStep};
use crate::http::input::Input;
use crate::http::page::safe_next;
use crate::http::reply::Reply;
use crate::i18n::{Message, Msg};
use crate::mail::notifier::Notice;
use crate::models::oauth::OAuthState;
use rocket::response::Redirect;
use rocket::{get, post, routes, Route};

pub fn routes() -> Vec<Route> {
    routes![start_signin, signin_response]
}

/// The query of a provider's redirect back to us.
#[derive(rocket::FromForm, Default)]
pub struct CallbackQuery<'r> {
    pub state: Option<&'r str>,
    pub code: Option<&'r str>,
    pub error: Option<&'r str>,
    pub error_description: Option<&'r str>,
    pub iss: Option<&'r str>,
}

impl<'r> CallbackQuery<'r> {
    pub fn with_browser(&self, browser: Option<&'r str>) -> Callback<'r> {
        Callback {
            state: self.state,
            code: self.code,
            error: self.error,
            error_description: self.error_description,
            iss: self.iss,
            browser,
        }
    }
}

#[post("/login/oauthstart/<name>?<next>", data = "<input>")]
async fn start_signin(
    name: &str,
    next: Option<&str>,
    input: Result<Input, Error>,
    ctx: Ctx<'_>,
    mut db: Connection,
) -> Result<Reply, Error> {
    let input = input?;
    if ctx.viewer.is_some() {
        return anonymous_only(&ctx);
    }
    let next = next_of(&input, next);
    begin(&ctx, &mut db, name, Purpose::SignIn, next, None, "/login").await
}

/// `next` from the query, or from the form (the pages' buttons).
pub fn next_of<'a>(input: &'a Input, query: Option<&'a str>) -> Option<&'a str> {
    match input.field("next") {
        crate::http::input::Field::Text(text) if !text.is_empty() => Some(text),
        _ => query,
    }
}

/// Starts a flow: the redirect to the provider, and the cookie binding the
/// flow to this browser. An absolute or off-site `next` is dropped.
pub async fn begin(
    ctx: &Ctx<'_>,
    db: &mut DbConn,
    name: &str,
    purpose: Purpose,
    next: Option<&str>,
    user_id: Option<i32>,
    back: &str,
) -> Result<Reply, Error> {
    let next = next.and_then(safe_next);
    match oauth::start(db, ctx.security, name, purpose, next, user_id).await? {
        Ok(started) => {
            ctx.jar.set_oauth_flow(&started.browser);
            Ok(Reply::Redirect(Redirect::found(started.url)))
        }
        Err(failure) => handshake_failed(ctx, db, &failure, None, back).await,
    }
}

/// A protocol failure: audited, logged, and flashed on `back`.
pub async fn handshake_failed(
    ctx: &Ctx<'_>,
    db: &mut DbConn,
    failure: &Failure,
    user: Option<&crate::models::User>,
    back: &str,
) -> Result<Reply, Error> {
    log::info!(
        "OAuth flow refused: {} - {}",
        failure.error,
        failure.description
    );
    record(
        db,
        Event::OAuthRefused,
        user,
        None,
        ctx.client.ip.as_deref(),
    )
    .await?;
    let message = Msg("OAUTH_HANDSHAKE_ERROR")
        .with("error", &failure.error)
        .with("description", &failure.description);
    Ok(flash_to(ctx, back, message))
}

/// Always a redirect: a callback is a navigation, whatever it accepts.
pub fn flash_to(ctx: &Ctx<'_>, page: &str, message: impl Into<Message>) -> Reply {
    ctx.redirect_with(ctx.security.config.url(page), "error", message)
}

/// The callback's checks and exchange; `Err` is the reply that ends it.
pub async fn identity_of(
    ctx: &Ctx<'_>,
    db: &mut DbConn,
    name: &str,
    purpose: Purpose,
    query: &CallbackQuery<'_>,
    back: &str,
) -> Result<Result<(OAuthState, ProvedIdentity), Reply>, Error> {
    if !ctx.security.config.oauth.providers.contains_key(name) {
        return Err(Error::NotFound);
    }
    let browser = ctx.jar.take_oauth_flow();
    let callback = query.with_browser(browser.as_deref());
    match oauth::finish(db, ctx.security, name, purpose, callback).await? {
        Ok(found) => Ok(Ok(found)),
        Err(failure) => Ok(Err(handshake_failed(ctx, db, &failure, None, back).await?)),
    }
}

#[get("/login/oauthresponse/<name>?<query..>")]
async fn signin_response(
    name: &str,
    query: CallbackQuery<'_>,
    ctx: Ctx<'_>,
    mut db: Connection,
) -> Result<Reply, Error> {
    let config = &ctx.security.config;
    let (flow, proved) =
        match identity_of(&ctx, &mut db, name, Purpose::SignIn, &query, "/login").await? {
            Ok(found) => found,
            Err(reply) => return Ok(reply),
        };
    if ctx.viewer.is_some() {
        return Ok(Reply::Redirect(Redirect::found(
            config.post_login_view.clone(),
        )));
    }
    // Callbacks count as sign-ins do: per identity and per IP.
    let ip = ctx.client.ip.as_deref();
    let key = format!("oauth:{name}:{}", proved.subject);
    let limits = limits::sign_in_limits(&config.rate_limits, Some(&key), ip);
    if limits::exceeded(&mut db, &limits).await?.is_some() {
        record(&mut db, Event::LoginThrottled, None, Some(&key), ip).await?;
        return Ok(flash_to(&ctx, "/login", Msg("TOO_MANY_ATTEMPTS")));
    }
    let (user, found) = match oauth::account_for(&mut db, ctx.security, name, &proved, true).await?
    {
        Ok(found) => found,
        Err(refusal) => {
            limits::hit(&mut db, &limits).await?;
            record(&mut db, Event::OAuthRefused, None, Some(&key), ip).await?;
            return Ok(flash_to(&ctx, "/login", refusal));
        }
    };
    if found != Found::Linked {
        ctx.record(&mut db, Event::OAuthLinked, &user).await?;
    }
    if found == Found::Created {
        ctx.record(&mut db, Event::Registered, &user).await?;
        if config.send_register_email {
            if let Err(e) = ctx.notify(Notice::Welcome, &user.email, None, None).await {
                log::warn!("welcome mail not sent: {e}");
            }
        }
    } else if !user.active {
        record(&mut db, Event::OAuthRefused, Some(&user), None, ip).await?;
        return Ok(flash_to(&ctx, "/login", DISABLED_ACCOUNT));
    }
    limits::forgive(&mut db, &limits).await?;
    let next = flow.next.as_deref().and_then(safe_next);
    match ctx.sign_in(&mut db, &user, false).await? {
        SignInStep::Complete => {
            let to = next.unwrap_or(&config.post_login_view).to_owned();
            Ok(Reply::Redirect(Redirect::found(to)))
        }
        step => Ok(shared::second_factor_redirect(&ctx, step, next)),
    }
}
