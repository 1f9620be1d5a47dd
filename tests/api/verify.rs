//! Freshness and re-authentication (`/verify`, the `Fresh` guard, the
//! example `/api/sensitive`).

use crate::helpers::*;
use app::models::TokenContext;
use rocket::http::{ContentType, Header, Status};
use rocket::serde::json::{json, Value};
use std::time::Duration;

/// Freshness of one second and no grace, so a test can let it lapse.
async fn short_freshness(grace: &'static str) -> TestApp {
    spawn_app_with(move |f| {
        f.merge(("security.freshness", "1s"))
            .merge(("security.freshness_grace", grace))
    })
    .await
}

async fn lapse(seconds: f64) {
    rocket::tokio::time::sleep(Duration::from_secs_f64(seconds)).await;
}

fn not_fresh_body() -> Value {
    json!({
        "errors": ["You must reauthenticate to access this endpoint"],
        "reauth_required": true, "unified_signin_enabled": false,
        "has_webauthn_verify_credential": false, "oauth_enabled": false, "oauth_providers": [],
    })
}

#[rocket::async_test]
async fn a_new_sign_in_is_fresh_by_session_and_by_token() {
    let app = spawn_app().await;
    let email = app.existing_user().await;
    let token = app.login_token(&email).await;
    let reply = app.get_json("/api/sensitive").await;
    assert_eq!(reply.status, Status::Ok, "{}", reply.body);
    assert_eq!(reply.json(), json!({ "ok": true, "email": email }));
    let reply = app.get_with_token("/api/sensitive", &token).await;
    assert_eq!(reply.status, Status::Ok);
}

#[rocket::async_test]
async fn a_stale_sign_in_is_asked_to_reauthenticate_and_stays_signed_in() {
    let app = short_freshness("0s").await;
    let email = app.existing_user().await;
    let token = app.login_token(&email).await;
    lapse(1.5).await;
    for reply in [
        app.get_json("/api/sensitive").await,
        app.get_with_token("/api/sensitive", &token).await,
    ] {
        assert_eq!(reply.status, Status::Unauthorized);
        assert_eq!(reply.json()["meta"]["code"], 401);
        assert_eq!(reply.json()["response"], not_fresh_body());
    }
    assert_eq!(app.me().await.status, Status::Ok, "still signed in");
    assert_eq!(
        app.get_with_token("/api/me", &token).await.status,
        Status::Ok
    );
    // A browser is sent to the password form, and back.
    app.get("/api/sensitive")
        .await
        .assert_redirect_to("/verify?next=%2Fapi%2Fsensitive");
    let page = app.get("/verify?next=/api/sensitive").await;
    assert!(
        page.body.contains("name=\"next\" value=\"/api/sensitive\""),
        "{}",
        page.body
    );
    let back = app
        .post_form(
            "/verify",
            &[("password", PASSWORD), ("next", "/api/sensitive")],
        )
        .await;
    back.assert_redirect_to("/api/sensitive");
    assert_eq!(app.get_json("/api/sensitive").await.status, Status::Ok);
}

#[rocket::async_test]
async fn verifying_the_password_makes_the_session_and_a_new_token_fresh() {
    let app = short_freshness("0s").await;
    let email = app.existing_user().await;
    let old_token = app.login_token(&email).await;
    lapse(1.2).await;
    let csrf = app.csrf_token().await;

    let wrong = app
        .post_json_with("/verify", json!({ "password": "not it" }), Some(&csrf))
        .await;
    assert_eq!(wrong.status, Status::BadRequest);
    assert_eq!(wrong.field_errors("password"), vec!["Invalid password"]);
    let missing = app.post_json_with("/verify", json!({}), Some(&csrf)).await;
    assert_eq!(
        missing.field_errors("password"),
        vec!["Password not provided"]
    );
    let typed = app
        .post_json_with("/verify", json!({ "password": 7 }), Some(&csrf))
        .await;
    assert_eq!(typed.status, Status::BadRequest);
    assert_eq!(
        app.get_json("/api/sensitive").await.status,
        Status::Unauthorized,
        "still stale"
    );

    let done = app
        .post_json_with("/verify", json!({ "password": PASSWORD }), Some(&csrf))
        .await;
    assert_eq!(done.status, Status::Ok, "{}", done.body);
    let response = &done.json()["response"];
    assert_eq!(response["user"]["email"], email.as_str());
    let new_token = response["user"]["authentication_token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(new_token, old_token);
    assert_ne!(
        response["csrf_token"].as_str().unwrap(),
        csrf,
        "a new CSRF token"
    );
    assert_eq!(app.get_json("/api/sensitive").await.status, Status::Ok);
    assert_eq!(
        app.get_with_token("/api/sensitive", &new_token)
            .await
            .status,
        Status::Ok
    );
    assert_eq!(
        app.get_with_token("/api/sensitive", &old_token)
            .await
            .status,
        Status::Unauthorized,
        "the old token is as stale as before"
    );
    let user = app.user(&email).await;
    let mut conn = app.db().await;
    let events = app::models::event::recent_for(&mut conn, user.id, &user.email_key, 10)
        .await
        .unwrap();
    assert!(events.iter().any(|e| e.kind == "reauthenticated"));
    assert!(
        events.iter().any(|e| e.kind == "login_failed"),
        "the wrong try counted"
    );
}

#[rocket::async_test]
async fn a_token_verifies_without_a_csrf_token() {
    let app = short_freshness("0s").await;
    let email = app.existing_user().await;
    let token = app.login_token(&email).await;
    lapse(1.2).await;
    let reply = app
        .send(
            app.client
                .post("/verify")
                .header(ContentType::JSON)
                .header(Header::new("Authentication-Token", token))
                .body(json!({ "password": PASSWORD }).to_string()),
        )
        .await;
    assert_eq!(reply.status, Status::Ok, "{}", reply.body);
    let fresh = reply.json()["response"]["user"]["authentication_token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        app.get_with_token("/api/sensitive", &fresh).await.status,
        Status::Ok
    );
}

#[rocket::async_test]
async fn the_grace_period_extends_with_each_passed_check_for_sessions_only() {
    let app = short_freshness("2s").await;
    let email = app.existing_user().await;
    let token = app.login_token(&email).await;
    // Checked while fresh: the session gets two seconds of grace, again
    // at each pass.
    for _ in 0..3 {
        assert_eq!(app.get_json("/api/sensitive").await.status, Status::Ok);
        lapse(0.9).await;
    }
    assert_eq!(
        app.get_json("/api/sensitive").await.status,
        Status::Ok,
        "graced"
    );
    assert_eq!(
        app.get_with_token("/api/sensitive", &token).await.status,
        Status::Unauthorized,
        "tokens get no grace"
    );
    lapse(2.2).await;
    assert_eq!(
        app.get_json("/api/sensitive").await.status,
        Status::Unauthorized
    );
}

#[rocket::async_test]
async fn a_session_restored_from_remember_me_is_never_fresh() {
    let app = spawn_app().await;
    let email = app.existing_user().await;
    app.post_json(
        "/login",
        json!({ "email": email, "password": PASSWORD, "remember": true }),
    )
    .await;
    let remember = app.cookie("remember_token").unwrap();
    let browser = app.second_browser().await;
    let get = |path: &'static str| {
        let request = browser
            .get(path)
            .cookie(remember.clone())
            .header(Header::new("Accept", "application/json"));
        async move { read(request.dispatch().await).await }
    };
    assert_eq!(get("/api/me").await.status, Status::Ok, "restored");
    let reply = get("/api/sensitive").await;
    assert_eq!(reply.status, Status::Unauthorized);
    assert_eq!(reply.json()["response"]["reauth_required"], true);
    assert_eq!(app.token_count(&email, TokenContext::Session).await, 2);
    // Turned off, freshness lets it through.
    let unchecked = app
        .relaunch_with(|f| f.merge(("security.freshness", "-1s")))
        .await;
    let request = unchecked
        .get("/api/sensitive")
        .cookie(remember)
        .header(Header::new("Accept", "application/json"));
    assert_eq!(request.dispatch().await.status(), Status::Ok);
}

#[rocket::async_test]
async fn basic_and_anonymous_requests_get_the_plain_401() {
    let app = spawn_app().await;
    let email = app.existing_user().await;
    for reply in [
        app.get_without_cookies("/api/sensitive", vec![basic(&email, PASSWORD)])
            .await,
        app.get_without_cookies("/api/sensitive", vec![]).await,
        app.get_without_cookies("/verify", vec![]).await,
    ] {
        assert_eq!(reply.status, Status::Unauthorized);
        assert_eq!(
            reply.errors(),
            vec!["You must sign in to view this resource."]
        );
        assert!(reply.json()["response"].get("reauth_required").is_none());
    }
    let anonymous = app.second_browser().await;
    let reply = read(anonymous.get("/api/sensitive").dispatch().await).await;
    reply.assert_redirect_to("/login?next=%2Fapi%2Fsensitive");
}

#[rocket::async_test]
async fn get_verify_describes_the_ways_to_reauthenticate() {
    let app = spawn_app().await;
    let email = app.existing_user().await;
    app.login(&email, PASSWORD).await;
    let reply = app.get_json("/verify").await;
    assert_eq!(reply.status, Status::Ok);
    let response = &reply.json()["response"];
    assert_eq!(response["user"]["email"], email.as_str());
    assert_eq!(response["has_webauthn_verify_credential"], false);
    assert_eq!(response["oauth_enabled"], false);
    assert_eq!(response["oauth_providers"], json!([]));
    assert!(response["csrf_token"].is_string());
    // POST needs the CSRF token from a cookie session.
    let reply = app
        .post_json_with("/verify", json!({ "password": PASSWORD }), None)
        .await;
    assert_eq!(
        reply.field_errors("csrf_token"),
        vec!["The CSRF token is missing."]
    );
}

#[rocket::async_test]
async fn bad_freshness_settings_stop_the_launch() {
    let dir = tempfile::tempdir().unwrap();
    for (key, value) in [
        ("security.freshness", "soon"),
        ("security.freshness_grace", "0 fortnights"),
    ] {
        let figment = test_figment(&dir).await.merge((key, value));
        assert!(launch_fails(figment).await, "{key} = {value}");
    }
}
