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

/// Signs `email` in on a new browser (with remember-me) and returns it.
async fn another_device(app: &TestApp, email: &str) -> rocket::local::asynchronous::Client {
    let device = app.second_browser().await;
    let csrf = csrf_of(&device).await;
    let request = device
        .post("/login")
        .header(rocket::http::ContentType::JSON)
        .header(Header::new("X-CSRF-Token", csrf))
        .header(Header::new("User-Agent", "Phone Browser 1.0"))
        .body(json!({ "email": email, "password": PASSWORD, "remember": true }).to_string());
    assert_eq!(
        from_ip(request, "198.51.100.77").dispatch().await.status(),
        Status::Ok
    );
    device
}

#[rocket::async_test]
async fn the_sessions_page_lists_each_device_and_ends_one() {
    let app = spawn_app().await;
    let email = app.existing_user().await;
    app.login(&email, PASSWORD).await;
    let phone = another_device(&app, &email).await;

    let listed = app.get_json("/sessions").await;
    assert_eq!(listed.status, Status::Ok);
    let sessions = listed.json()["response"]["sessions"]
        .as_array()
        .unwrap()
        .clone();
    let kinds: Vec<&str> = sessions
        .iter()
        .map(|s| s["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds.iter().filter(|k| **k == "session").count(),
        2,
        "this browser and the phone: {sessions:?}"
    );
    assert_eq!(kinds.iter().filter(|k| **k == "remember").count(), 1);
    assert_eq!(
        kinds.iter().filter(|k| **k == "api").count(),
        3,
        "the API token of the registration and of each JSON sign-in: {sessions:?}"
    );
    assert_eq!(sessions.iter().filter(|s| s["current"] == true).count(), 1);
    let phone_session = sessions
        .iter()
        .find(|s| s["kind"] == "session" && s["current"] == false)
        .expect("the phone's session");
    assert_eq!(phone_session["ip"], "198.51.100.77");
    assert_eq!(phone_session["user_agent"], "Phone Browser 1.0");
    assert!(phone_session["last_used_at"]
        .as_str()
        .unwrap()
        .ends_with('Z'));

    let page = app.get("/sessions").await;
    assert_eq!(page.status, Status::Ok);
    assert!(page.body.contains("Phone Browser 1.0") && page.body.contains("(this browser)"));

    let id = phone_session["id"].as_i64().unwrap();
    let ended = app
        .post_json(&format!("/sessions/{id}/revoke"), json!({}))
        .await;
    assert_eq!(ended.status, Status::Ok, "{}", ended.body);
    // The phone's remember-me still works; ending everything else stops it.
    let me_on_phone = || get_json_as(&phone, "/api/me", None);
    assert_eq!(me_on_phone().await.status, Status::Ok);
    assert_eq!(
        app.post_json("/sessions/revoke-others", json!({}))
            .await
            .status,
        Status::Ok
    );
    assert_eq!(
        within_a_second(me_on_phone, Status::Unauthorized)
            .await
            .status,
        Status::Unauthorized,
        "remember-me ended too (the phone is another instance)"
    );
    assert_eq!(
        app.get_json("/sessions").await.json()["response"]["sessions"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(app.me().await.status, Status::Ok, "this browser stays");
}

#[rocket::async_test]
async fn nobody_ends_another_users_sessions_or_without_csrf() {
    let app = spawn_app().await;
    let victim = app.existing_user().await;
    let device = another_device(&app, &victim).await;
    let victim_sessions = read(
        device
            .get("/sessions")
            .header(Header::new("Accept", "application/json"))
            .dispatch()
            .await,
    )
    .await;
    let victim_id = victim_sessions.json()["response"]["sessions"][0]["id"]
        .as_i64()
        .unwrap();

    let attacker = app.existing_user().await;
    app.login(&attacker, PASSWORD).await;
    let reply = app
        .post_json(&format!("/sessions/{victim_id}/revoke"), json!({}))
        .await;
    assert_eq!(reply.status, Status::NotFound);
    let reply = app
        .post_json_with("/sessions/revoke-others", json!({}), None)
        .await;
    assert_eq!(reply.status, Status::BadRequest);
    let me = read(
        device
            .get("/api/me")
            .header(Header::new("Accept", "application/json"))
            .dispatch()
            .await,
    )
    .await;
    assert_eq!(me.status, Status::Ok, "the victim is still signed in");
}

#[rocket::async_test]
async fn ending_this_browsers_session_signs_it_out() {
    let app = spawn_app().await;
    let email = app.existing_user().await;
    app.login(&email, PASSWORD).await;
    let sessions = app.get_json("/sessions").await.json()["response"]["sessions"].clone();
    let own = sessions
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["current"] == true)
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let reply = app.post_form(&format!("/sessions/{own}/revoke"), &[]).await;
    reply.assert_redirect_to("/sessions");
    assert_eq!(app.me().await.status, Status::Unauthorized);
}
