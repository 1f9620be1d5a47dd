//! The application's own pages and API: examples of using the guards and
//! role markers, meant to be replaced by yours.

use super::account::profile;
use crate::accounts::admin;
use crate::db::Connection;
use crate::error::Error;
use crate::http::ctx::Ctx;
use crate::http::fresh::Fresh;
use crate::http::guards::CurrentUser;
use crate::http::reply::Reply;
use crate::http::roles::{AnyRole, HasRole};
use crate::i18n::Msg;
use crate::role;
use rocket::fairing::AdHoc;
use rocket::serde::json::{json, Json, Value};
use rocket::{get, routes};

role!(pub Admin = "admin");
role!(pub Editor = "editor");

pub fn stage() -> AdHoc {
    AdHoc::on_ignite("Application", |rocket| async {
        let rocket = rocket.mount(
            "/",
            routes![
                home,
                super::account::account,
                admin_page,
                hello,
                me,
                sensitive,
                admin_api,
                staff_api
            ],
        );
        // The API description, for tools and tests; release builds leave it out.
        if cfg!(debug_assertions) {
            rocket.mount("/", routes![openapi])
        } else {
            rocket
        }
    })
}

/// The home page greets whoever is signed in.
#[get("/")]
fn home(ctx: Ctx<'_>) -> Reply {
    ctx.page(
        "index",
        json!({ "title": ctx.tr().text(Msg("TITLE_HOME")) }),
    )
}

/// Only for users with the `admin` role.
#[get("/admin")]
async fn admin_page(
    ctx: Ctx<'_>,
    _admin: HasRole<Admin>,
    mut db: Connection,
) -> Result<Reply, Error> {
    let users: Vec<Value> = admin::list_users(&mut db, 200)
        .await?
        .iter()
        .map(|u| json!({ "id": u.id, "email": u.email, "active": u.active, "login_count": u.login_count }))
        .collect();
    Ok(ctx.page(
        "admin",
        json!({ "title": ctx.tr().text(Msg("TITLE_ADMIN")), "users": users }),
    ))
}

/// The OpenAPI description of the JSON API (`openapi.json`, kept true by a
/// test against the mounted routes).
#[get("/openapi.json")]
fn openapi() -> (rocket::http::ContentType, &'static str) {
    (
        rocket::http::ContentType::JSON,
        include_str!("../../openapi.json"),
    )
}

/// No authentication at all.
#[get("/api/hello")]
fn hello() -> Json<Value> {
    Json(json!({ "hello": "world" }))
}

/// Who am I: any sign-in method (session, token, Basic).
#[get("/api/me")]
fn me(current: CurrentUser) -> Json<Value> {
    Json(profile(&current))
}

/// Signed in by session or token, and recently enough (`freshness`): a
/// stale sign-in gets 401 `reauth_required` (browsers: `/verify`).
#[get("/api/sensitive")]
fn sensitive(user: Fresh) -> Json<Value> {
    Json(json!({ "ok": true, "email": user.email }))
}

#[get("/api/admin")]
fn admin_api(_admin: HasRole<Admin>) -> Json<Value> {
    Json(json!({ "ok": true }))
}

#[get("/api/staff")]
fn staff_api(_staff: AnyRole<(Admin, Editor)>) -> Json<Value> {
    Json(json!({ "ok": true }))
}
