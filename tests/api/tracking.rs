//! Login tracking (Flask-Security's `trackable`).

use crate::helpers::*;
use rocket::http::{ContentType, Header, Status};
use rocket::serde::json::json;

async fn login_from(app: &TestApp, email: &str, ip: &str) {
    let token = app.csrf_token().await;
    let request = app
        .client
        .post("/login")
        .header(ContentType::JSON)
        .header(Header::new("X-CSRF-Token", token))
        .body(json!({ "email": email, "password": PASSWORD }).to_string());
    let reply = app.send(from_ip(request, ip)).await;
    assert_eq!(reply.status, Status::Ok, "{}", reply.body);
}

#[rocket::async_test]
async fn two_sign_ins_record_current_and_last_time_and_ip() {
    let app = spawn_app().await;
    let email = app.existing_user().await;
    let registered = app.user(&email).await;
    assert_eq!(registered.login_count, 1);

    login_from(&app, &email, "203.0.113.7").await;
    let first = app.user(&email).await;
    login_from(&app, &email, "198.51.100.9").await;
    let second = app.user(&email).await;

    assert_eq!(second.login_count, 3);
    assert_eq!(second.current_login_ip.as_deref(), Some("198.51.100.9"));
    assert_eq!(second.last_login_ip.as_deref(), Some("203.0.113.7"));
    assert_eq!(second.last_login_at, first.current_login_at);
    assert!(second.current_login_at > first.current_login_at);

    let me = app.me().await.json();
    assert_eq!(me["login_count"], 3);
    assert_eq!(me["current_login_ip"], "198.51.100.9");
    assert_eq!(me["last_login_ip"], "203.0.113.7");
    let at = me["current_login_at"].as_str().unwrap();
    assert!(at.ends_with('Z') && at.contains('T'), "RFC 3339 UTC: {at}");
}

#[rocket::async_test]
async fn failed_sign_ins_are_not_counted_and_tracking_can_be_off() {
    let app = spawn_app().await;
    let email = app.existing_user().await;
    app.login(&email, "wrong password").await;
    assert_eq!(app.user(&email).await.login_count, 1);

    let untracked = spawn_app_with(|f| f.merge(("security.trackable", false))).await;
    let email = untracked.existing_user().await;
    untracked.login(&email, PASSWORD).await;
    let user = untracked.user(&email).await;
    assert_eq!(user.login_count, 0);
    assert!(user.current_login_at.is_none());
}
