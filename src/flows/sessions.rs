//! Where am I signed in (a feature Flask-Security lacks): the user's
//! sessions, remember-me devices and API tokens — when they started, were
//! last used, from which IP and client — and a way to end one, or all but
//! the one making the request.

use crate::accounts::audit::Event;
use crate::accounts::sessions;
use crate::db::Connection;
use crate::domain::device;
use crate::error::Error;
use crate::http::ctx::Ctx;
use crate::http::guards::CurrentUser;
use crate::http::input::Input;
use crate::http::reply::Reply;
use crate::i18n::Msg;
use crate::models::{for_people, rfc3339, UserToken};
use rocket::serde::json::{json, Value};
use rocket::{get, post, routes, Route};

pub fn routes() -> Vec<Route> {
    routes![sessions_page, revoke_one, revoke_others]
}

/// The ids of the rows this request stands on: the session or API token
/// that authenticated it, and this browser's remember-me token.
async fn own_ids(
    ctx: &Ctx<'_>,
    current: &CurrentUser,
    db: &mut Connection,
) -> Result<Vec<i32>, Error> {
    let mut ids: Vec<i32> = current.token_id.into_iter().collect();
    if let Some(token) = ctx.jar.remember_token() {
        ids.extend(sessions::remember_token_id(db, &token).await?);
    }
    Ok(ids)
}

fn describe(row: &UserToken, own: &[i32]) -> Value {
    json!({
        "id": row.id,
        "kind": row.context,
        "created_at": rfc3339(row.created_at),
        "last_used_at": rfc3339(row.last_used_at),
        "started": for_people(row.created_at),
        "last_used": for_people(row.last_used_at),
        "ip": row.ip,
        "user_agent": row.user_agent,
        "device": row.user_agent.as_deref().and_then(device).map(|(browser, system)| {
            json!({ "browser": browser, "system": system })
        }),
        "current": own.contains(&row.id),
    })
}

/// The page's rows: a browser's session and the remember-me token it got
/// at the same sign-in are one device (`sessions::pair_devices`), ended
/// together.
fn devices(rows: &[UserToken], own: &[i32]) -> Vec<Value> {
    let (partner, taken) = sessions::pair_devices(rows);
    let mut devices = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        if taken[i] {
            continue;
        }
        let mut entry = describe(row, own);
        if let Some(other) = partner[i].map(|j| &rows[j]) {
            entry["remembered"] = json!(true);
            entry["also"] = json!(other.id);
            entry["current"] = json!(own.contains(&row.id) || own.contains(&other.id));
            if other.last_used_at > row.last_used_at {
                entry["last_used_at"] = json!(rfc3339(other.last_used_at));
                entry["last_used"] = json!(for_people(other.last_used_at));
            }
        }
        devices.push(entry);
    }
    devices
}

#[get("/sessions")]
async fn sessions_page(
    ctx: Ctx<'_>,
    current: CurrentUser,
    mut db: Connection,
) -> Result<Reply, Error> {
    let own = own_ids(&ctx, &current, &mut db).await?;
    let rows = sessions::list_sign_ins(&mut db, current.id).await?;
    if ctx.json {
        let sessions: Vec<Value> = rows.iter().map(|row| describe(row, &own)).collect();
        return Ok(ctx.ok(json!({ "sessions": sessions })));
    }
    Ok(ctx.page(
        &ctx.security.config.templates.sessions,
        json!({
            "title": ctx.tr().text(Msg("TITLE_WHERE_YOU_ARE_SIGNED_IN")),
            "sessions": devices(&rows, &own),
            "others": rows.iter().any(|row| !own.contains(&row.id)),
        }),
    ))
}

#[post("/sessions/<id>/revoke", data = "<input>")]
async fn revoke_one(
    id: i32,
    input: Result<Input, Error>,
    ctx: Ctx<'_>,
    current: CurrentUser,
    mut db: Connection,
) -> Result<Reply, Error> {
    let input = input?;
    let own = own_ids(&ctx, &current, &mut db).await?;
    if sessions::end_sign_ins(&mut db, current.id, &[id]).await? == 0 {
        return Err(Error::NotFound);
    }
    // The page ends a device's session and its remember-me token together
    // (only ever this user's rows).
    let also: Option<i32> = input.typed("also").parse().ok();
    if let Some(also) = also {
        sessions::end_sign_ins(&mut db, current.id, &[also]).await?;
    }
    ctx.record(&mut db, Event::SessionRevoked, &current.user)
        .await?;
    if own.contains(&id) || also.is_some_and(|a| own.contains(&a)) {
        // Ending this request's own session (or token) is signing out.
        crate::http::sign_in::log_out_user(&mut db, &ctx.jar).await?;
    }
    done(&ctx, Msg("SESSION_REVOKED"))
}

#[post("/sessions/revoke-others", data = "<input>")]
async fn revoke_others(
    input: Result<Input, Error>,
    ctx: Ctx<'_>,
    current: CurrentUser,
    mut db: Connection,
) -> Result<Reply, Error> {
    input?;
    let own = own_ids(&ctx, &current, &mut db).await?;
    let others: Vec<i32> = sessions::list_sign_ins(&mut db, current.id)
        .await?
        .iter()
        .map(|row| row.id)
        .filter(|id| !own.contains(id))
        .collect();
    sessions::end_sign_ins(&mut db, current.id, &others).await?;
    ctx.record(&mut db, Event::TokensRevoked, &current.user)
        .await?;
    done(&ctx, Msg("OTHER_SESSIONS_REVOKED"))
}

fn done(ctx: &Ctx<'_>, message: Msg) -> Result<Reply, Error> {
    if ctx.json {
        return Ok(ctx.ok(json!({})));
    }
    Ok(ctx.redirect_with(ctx.security.config.url("/sessions"), "success", message))
}
