//! Session cookies, remember-me and session rotation.

use crate::helpers::*;
use app::models::TokenContext;
use rocket::http::{Header, Status};
use rocket::serde::json::json;

async fn me_with(
    client: &rocket::local::asynchronous::Client,
    cookies: Vec<rocket::http::Cookie<'static>>,
) -> Reply {
    let mut request = client
        .get("/api/me")
        .header(Header::new("Accept", "application/json"));
    for cookie in cookies {
        request = request.cookie(cookie);
    }
    read(request.dispatch().await).await
}

#[rocket::async_test]
async fn remember_me_restores_a_session_after_the_session_cookie_is_gone() {
    let app = spawn_app().await;
    let email = app.existing_user().await;
    let reply = app
        .post_json(
            "/login",
            json!({ "email": email, "password": PASSWORD, "remember": true }),
        )
        .await;
    assert_eq!(reply.status, Status::Ok);
    let remember = reply
        .cookie("remember_token")
        .expect("a remember-me cookie");
    assert_eq!(remember.http_only(), Some(true));
    assert_eq!(remember.same_site(), Some(rocket::http::SameSite::Lax));
    assert!(remember
        .max_age()
        .is_some_and(|age| age.whole_days() == 365));
    let remember = app.cookie("remember_token").unwrap();

    // A browser that kept only the remember-me cookie (e.g. after a restart).
    let browser = app.second_browser().await;
    let restored = me_with(&browser, vec![remember.clone()]).await;
    assert_eq!(restored.status, Status::Ok, "{}", restored.body);
    assert_eq!(restored.json()["email"], email.as_str());
    assert!(
        restored.cookie("session").is_some(),
        "a new session was started"
    );
    assert_eq!(
        restored.json()["login_count"],
        2,
        "restoring is not a new sign-in"
    );
    assert_eq!(app.token_count(&email, TokenContext::Session).await, 2);
}

#[rocket::async_test]
async fn without_remember_me_a_lost_session_cookie_means_signed_out() {
    let app = spawn_app().await;
    let email = app.existing_user().await;
    let reply = app
        .post_json(
            "/login",
            json!({ "email": email, "password": PASSWORD, "remember": false }),
        )
        .await;
    assert!(reply
        .cookie("remember_token")
        .is_none_or(|c| c.value().is_empty()));
    let browser = app.second_browser().await;
    assert_eq!(me_with(&browser, vec![]).await.status, Status::Unauthorized);
}

#[rocket::async_test]
async fn logging_out_also_kills_the_remember_me_token() {
    let app = spawn_app().await;
    let email = app.existing_user().await;
    app.post_json(
        "/login",
        json!({ "email": email, "password": PASSWORD, "remember": true }),
    )
    .await;
    let remember = app.cookie("remember_token").unwrap();
    assert_eq!(app.token_count(&email, TokenContext::Remember).await, 1);
    app.logout().await;
    assert_eq!(app.token_count(&email, TokenContext::Remember).await, 0);
    let browser = app.second_browser().await;
    assert_eq!(
        me_with(&browser, vec![remember]).await.status,
        Status::Unauthorized
    );
}

#[rocket::async_test]
async fn every_sign_in_issues_a_new_session_token() {
    let app = spawn_app().await;
    let email = app.existing_user().await;
    app.login(&email, PASSWORD).await;
    let first = app.cookie("session").unwrap();
    app.login(&email, PASSWORD).await;
    let second = app.cookie("session").unwrap();
    assert_ne!(first.value(), second.value());
    // The session the browser came with was ended, not left behind.
    assert_eq!(app.token_count(&email, TokenContext::Session).await, 1);
    let browser = app.second_browser().await;
    assert_eq!(
        me_with(&browser, vec![first]).await.status,
        Status::Unauthorized
    );
    assert_eq!(me_with(&browser, vec![second]).await.status, Status::Ok);
}

#[rocket::async_test]
async fn an_idle_session_expires() {
    let app = spawn_app_with(|f| f.merge(("security.session_idle_timeout", "1s"))).await;
    let email = app.existing_user().await;
    app.login(&email, PASSWORD).await;
    assert_eq!(app.me().await.status, Status::Ok);
    rocket::tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    assert_eq!(app.me().await.status, Status::Unauthorized);
}

#[rocket::async_test]
async fn a_tampered_session_cookie_is_ignored() {
    let app = spawn_app().await;
    let browser = app.second_browser().await;
    let forged = rocket::http::Cookie::new("session", "garbage-that-is-not-encrypted");
    let reply = me_with(&browser, vec![forged]).await;
    assert_eq!(reply.status, Status::Unauthorized);
}

#[rocket::async_test]
async fn session_cookies_are_http_only_and_same_site() {
    let app = spawn_app().await;
    let email = app.existing_user().await;
    let reply = app.login(&email, PASSWORD).await;
    let session = reply.cookie("session").unwrap();
    assert_eq!(session.http_only(), Some(true));
    assert_eq!(session.same_site(), Some(rocket::http::SameSite::Lax));
    assert_eq!(session.path(), Some("/"));
    assert!(
        session.max_age().is_none() && session.expires().is_none(),
        "ends with the browser"
    );
    assert_eq!(session.secure(), None, "debug builds serve plain http");

    let secure = spawn_app_with(|f| f.merge(("security.secure_cookies", true))).await;
    let email = secure.existing_user().await;
    let reply = secure.login(&email, PASSWORD).await;
    assert_eq!(reply.cookie("session").unwrap().secure(), Some(true));
}
