//! The application's own pages and API: examples of using the guards, meant
//! to be replaced by yours.

use crate::models::rfc3339;
use crate::security::page::{Ctx, Reply};
use crate::security::CurrentUser;
use rocket::fairing::AdHoc;
use rocket::serde::json::{json, Json, Value};
use rocket::{get, routes};

pub fn stage() -> AdHoc {
    AdHoc::on_ignite("Application", |rocket| async {
        rocket.mount("/", routes![home, hello, me])
    })
}

/// The home page greets whoever is signed in.
#[get("/")]
fn home(ctx: Ctx<'_>) -> Reply {
    ctx.page("index", json!({ "title": "Home" }))
}

/// No authentication at all.
#[get("/api/hello")]
fn hello() -> Json<Value> {
    Json(json!({ "hello": "world" }))
}

/// Who am I: any sign-in method (session, token, Basic).
#[get("/api/me")]
fn me(current: CurrentUser) -> Json<Value> {
    let user = &current.user;
    Json(json!({
        "id": user.id,
        "email": user.email,
        "roles": current.roles,
        "confirmed_at": user.confirmed_at.map(rfc3339),
        "login_count": user.login_count,
        "current_login_at": user.current_login_at.map(rfc3339),
        "last_login_at": user.last_login_at.map(rfc3339),
        "current_login_ip": user.current_login_ip,
        "last_login_ip": user.last_login_ip,
    }))
}
