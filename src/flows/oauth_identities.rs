//! OAuth, for a signed-in account: re-authentication through a provider
//! (`/login/oauth-verify-*`, refreshing freshness), the connected providers
//! (`GET /oauth-identities`), connecting one (`/login/oauth-link-*`, fresh
//! session required) and disconnecting one (`POST /oauth-unlink`).

use crate::accounts::audit::Event;
use crate::accounts::oauth::{self, Purpose};
use crate::accounts::oauth_proof::ProvedIdentity;
use crate::config::AuthMethod;
use crate::db::Connection;
use crate::error::{Error, FieldErrors};
use crate::flows::oauth::{begin, flash_to, identity_of, next_of, CallbackQuery};
use crate::flows::verify;
use crate::http::ctx::Ctx;
use crate::http::fresh::Fresh;
use crate::http::guards::SignedIn;
use crate::http::input::Input;
use crate::http::page::safe_next;
use crate::http::reply::Reply;
use crate::i18n::Msg;
use crate::models::oauth::OAuthState;
use crate::models::{for_people, rfc3339};
use rocket::response::Redirect;
use rocket::serde::json::{json, Value};
use rocket::{get, post, routes, Route};

pub fn routes(verify: bool) -> Vec<Route> {
    let mut routes = routes![identities_page, start_link, link_response, unlink];
    if verify {
        routes.extend(routes![start_verify, verify_response]);
    }
    routes
}

/// Where a refused re-authentication goes back to.
fn verify_page(ctx: &Ctx<'_>) -> &'static str {
    if ctx.security.config.unified_signin {
        "/us-verify"
    } else {
        "/verify"
    }
}

/// The flows come back in the browser: a session, not a token.
fn session_only(current: &SignedIn) -> Result<(), Error> {
    if current.method == AuthMethod::Session {
        Ok(())
    } else {
        Err(Error::Unauthenticated { challenge: None })
    }
}

/// A callback for a signed-in account: signed out meanwhile, to the
/// sign-in page; else the checked flow and the identity it proves.
async fn signed_in_callback(
    ctx: &Ctx<'_>,
    db: &mut Connection,
    current: Option<SignedIn>,
    name: &str,
    purpose: Purpose,
    query: &CallbackQuery<'_>,
    back: &str,
) -> Result<Result<(SignedIn, OAuthState, ProvedIdentity), Reply>, Error> {
    let Some(current) = current else {
        let to = ctx.security.config.url("/login");
        return Ok(Err(Reply::Redirect(Redirect::found(to))));
    };
    Ok(
        match identity_of(ctx, db, name, purpose, query, back).await? {
            Ok((flow, proved)) => Ok((current, flow, proved)),
            Err(reply) => Err(reply),
        },
    )
}

#[post("/login/oauth-verify-start/<name>?<next>", data = "<input>")]
async fn start_verify(
    name: &str,
    next: Option<&str>,
    input: Result<Input, Error>,
    current: SignedIn,
    ctx: Ctx<'_>,
    mut db: Connection,
) -> Result<Reply, Error> {
    let input = input?;
    session_only(&current)?;
    let next = next_of(&input, next);
    let back = verify_page(&ctx);
    begin(
        &ctx,
        &mut db,
        name,
        Purpose::Verify,
        next,
        Some(current.id),
        back,
    )
    .await
}

#[get("/login/oauth-verify-response/<name>?<query..>")]
async fn verify_response(
    name: &str,
    query: CallbackQuery<'_>,
    current: Option<SignedIn>,
    ctx: Ctx<'_>,
    mut db: Connection,
) -> Result<Reply, Error> {
    let back = verify_page(&ctx);
    let callback = signed_in_callback(&ctx, &mut db, current, name, Purpose::Verify, &query, back);
    let (current, flow, proved) = match callback.await? {
        Ok(found) => found,
        Err(reply) => return Ok(reply),
    };
    let next = flow.next.as_deref().and_then(safe_next);
    let back_with_next = match next {
        Some(next) => format!(
            "{back}?next={}",
            rocket::http::RawStr::new(next).percent_encode()
        ),
        None => back.to_owned(),
    };
    // Started by another account: nothing to verify here.
    let verdict = if flow.user_id == Some(current.id) {
        oauth::verifies(&mut db, ctx.security, name, &proved, &current.user).await?
    } else {
        let typed = proved.email.clone().unwrap_or_default();
        Err(Msg("IDENTITY_NOT_REGISTERED").with("email", typed))
    };
    if let Err(refusal) = verdict {
        ctx.record(&mut db, Event::OAuthRefused, &current.user)
            .await?;
        return Ok(flash_to(&ctx, &back_with_next, refusal));
    }
    verify::refresh(&ctx, &mut db, &current).await?;
    let to = next
        .unwrap_or(&ctx.security.config.post_login_view)
        .to_owned();
    Ok(ctx.redirect_with(to, "success", Msg("REAUTHENTICATION_SUCCESSFUL")))
}

/// `identities`: the account's connected providers as the contract lists
/// them (and, for pages, each configured provider with its state).
async fn listing(ctx: &Ctx<'_>, db: &mut Connection, user_id: i32) -> Result<Value, Error> {
    let config = &ctx.security.config;
    let mine = oauth::identities(db, user_id).await?;
    let identities: Vec<Value> = mine
        .iter()
        .map(|i| {
            json!({
                "provider": i.provider,
                "email": i.email,
                "linked_at": rfc3339(i.linked_at),
                "last_used_at": i.last_used_at.map(rfc3339),
            })
        })
        .collect();
    let rows: Vec<Value> = config
        .oauth
        .providers
        .iter()
        .map(|(name, provider)| {
            let linked = mine.iter().find(|i| &i.provider == name);
            json!({
                "name": name,
                "label": oauth::display_name(name, provider),
                "email": linked.map(|i| i.email.clone()),
                "since": linked.map(|i| for_people(i.linked_at)),
                "since_at": linked.map(|i| rfc3339(i.linked_at)),
                "used": linked.and_then(|i| i.last_used_at).map(for_people),
                "used_at": linked.and_then(|i| i.last_used_at).map(rfc3339),
                "link_url": config.url(&format!("/login/oauth-link-start/{name}")),
            })
        })
        .collect();
    Ok(json!({ "providers": config.oauth.names(), "identities": identities, "rows": rows }))
}

#[get("/oauth-identities")]
async fn identities_page(
    ctx: Ctx<'_>,
    current: SignedIn,
    mut db: Connection,
) -> Result<Reply, Error> {
    let mut listed = listing(&ctx, &mut db, current.id).await?;
    if ctx.json {
        if let Some(object) = listed.as_object_mut() {
            object.remove("rows");
        }
        return Ok(ctx.ok(listed));
    }
    listed["title"] = json!(ctx.tr().text(Msg("TITLE_CONNECTED_PROVIDERS")));
    listed["unlink_url"] = json!(ctx.security.config.url("/oauth-unlink"));
    Ok(ctx.page(&ctx.security.config.templates.oauth_identities, listed))
}

#[post("/login/oauth-link-start/<name>?<next>", data = "<input>")]
async fn start_link(
    name: &str,
    next: Option<&str>,
    input: Result<Input, Error>,
    current: Fresh,
    ctx: Ctx<'_>,
    mut db: Connection,
) -> Result<Reply, Error> {
    let input = input?;
    session_only(&current)?;
    let next = next_of(&input, next);
    begin(
        &ctx,
        &mut db,
        name,
        Purpose::Link,
        next,
        Some(current.user.id),
        "/oauth-identities",
    )
    .await
}

#[get("/login/oauth-link-response/<name>?<query..>")]
async fn link_response(
    name: &str,
    query: CallbackQuery<'_>,
    current: Option<SignedIn>,
    ctx: Ctx<'_>,
    mut db: Connection,
) -> Result<Reply, Error> {
    let back = "/oauth-identities";
    let callback = signed_in_callback(&ctx, &mut db, current, name, Purpose::Link, &query, back);
    let (current, flow, proved) = match callback.await? {
        Ok(found) => found,
        Err(reply) => return Ok(reply),
    };
    let provider = &ctx.security.config.oauth.providers[name];
    let shown = oauth::display_name(name, provider);
    let verdict = if flow.user_id != Some(current.id) {
        Err(Msg("OAUTH_IDENTITY_IN_USE").with("provider", shown.clone()))
    } else if !proved.email_verified {
        let typed = proved.email.clone().unwrap_or_default();
        Err(Msg("OAUTH_EMAIL_NOT_VERIFIED")
            .with("provider", shown.clone())
            .with("email", typed))
    } else {
        oauth::link(&mut db, &current.user, name, &proved, &shown).await?
    };
    if let Err(refusal) = verdict {
        ctx.record(&mut db, Event::OAuthRefused, &current.user)
            .await?;
        return Ok(flash_to(&ctx, back, refusal));
    }
    ctx.record(&mut db, Event::OAuthLinked, &current.user)
        .await?;
    let to = match flow.next.as_deref().and_then(safe_next) {
        Some(next) => next.to_owned(),
        None => ctx.security.config.url("/account"),
    };
    let done = Msg("OAUTH_CONNECTED").with("provider", shown);
    Ok(ctx.redirect_with(to, "success", done))
}

#[post("/oauth-unlink", data = "<input>")]
async fn unlink(
    input: Result<Input, Error>,
    current: Fresh,
    ctx: Ctx<'_>,
    mut db: Connection,
) -> Result<Reply, Error> {
    let input = input?;
    let user = &current.user;
    let mut errors = FieldErrors::new();
    let asked = input.required("provider", Msg("OAUTH_PROVIDER_REQUIRED"), &mut errors);
    let Some(name) = asked else {
        return Err(Error::Invalid(errors));
    };
    let shown = match ctx.security.config.oauth.providers.get(name) {
        Some(provider) => oauth::display_name(name, provider),
        None => name.chars().take(40).collect(),
    };
    if let Err(refusal) = oauth::unlink(&mut db, ctx.security, user, name).await? {
        errors.add("provider", refusal);
        if ctx.json {
            return Err(Error::Invalid(errors));
        }
        let said = errors.messages(&ctx.tr()).join(" ");
        return Ok(ctx.redirect_with(ctx.security.config.url("/oauth-identities"), "error", said));
    }
    ctx.record(&mut db, Event::OAuthUnlinked, user).await?;
    if ctx.json {
        let listed = listing(&ctx, &mut db, user.id).await?;
        return Ok(ctx.ok(json!({ "identities": listed["identities"] })));
    }
    let done = Msg("OAUTH_DISCONNECTED").with("provider", shown);
    Ok(ctx.redirect_with(
        ctx.security.config.url("/oauth-identities"),
        "success",
        done,
    ))
}
