//! Signing in and out.

use crate::helpers::*;
use app::models::TokenContext;
use rocket::http::{Header, Status};
use rocket::serde::json::json;

const GENERIC: &str = "Authentication failed - identity or password/passcode invalid";

#[rocket::async_test]
async fn a_json_login_returns_the_user_a_token_and_a_session() {
    let app = spawn_app().await;
    let email = app.existing_user().await;
    let reply = app.login(&email, PASSWORD).await;

    assert_eq!(reply.status, Status::Ok, "{}", reply.body);
    let user = &reply.json()["response"]["user"];
    assert_eq!(user["email"], email.as_str());
    assert!(user["id"].is_i64());
    let token = user["authentication_token"].as_str().expect("a token");
    assert!(reply.json()["response"]["csrf_token"].is_string());
    assert!(reply.cookie("session").is_some());
    assert!(reply
        .cookie("remember_token")
        .is_none_or(|c| c.value().is_empty()));
    assert_eq!(reply.header("Cache-Control"), Some("private, no-store"));
    assert_eq!(app.me().await.status, Status::Ok);

    // The token is stored hashed, never as handed out.
    let mut conn = app.db().await;
    let hash = app::domain::secret::hash(token);
    let row = app::models::token::find_any_age(&mut conn, TokenContext::Api, &hash)
        .await
        .unwrap();
    assert!(row.is_some());
    let raw = app::models::token::find_any_age(&mut conn, TokenContext::Api, token.as_bytes())
        .await
        .unwrap();
    assert!(raw.is_none());
}

#[rocket::async_test]
async fn a_form_login_redirects_to_a_safe_next() {
    let app = spawn_app().await;
    let email = app.existing_user().await;
    let page = app.get("/login?next=/api/me").await;
    assert!(
        page.body.contains("name=\"next\" value=\"/api/me\""),
        "{}",
        page.body
    );
    assert!(page.body.contains("autocomplete=\"current-password\""));

    let reply = app
        .post_form(
            "/login",
            &[
                ("email", &email),
                ("password", PASSWORD),
                ("next", "/api/me"),
            ],
        )
        .await;
    reply.assert_redirect_to("/api/me");
    assert_eq!(app.me().await.status, Status::Ok);
}

#[rocket::async_test]
async fn off_site_next_is_refused() {
    let app = spawn_app().await;
    let email = app.existing_user().await;
    for next in ["http://evil.example/", "//evil.example", "/\\evil.example"] {
        let reply = app
            .post_json(
                "/login",
                json!({ "email": email, "password": PASSWORD, "next": next }),
            )
            .await;
        assert_eq!(reply.status, Status::BadRequest, "{next}");
        assert_eq!(
            reply.field_errors("next"),
            vec!["Redirections outside the domain are forbidden"]
        );
        let form = app
            .post_form(
                "/login",
                &[("email", &email), ("password", PASSWORD), ("next", next)],
            )
            .await;
        assert_eq!(
            form.status,
            Status::Ok,
            "the form is shown again, not a redirect"
        );
        assert!(form.location().is_none());
        assert!(form
            .body
            .contains("Redirections outside the domain are forbidden"));
    }
    assert_eq!(app.me().await.status, Status::Unauthorized);
}

#[rocket::async_test]
async fn wrong_password_and_unknown_email_get_the_same_generic_reply() {
    let app = spawn_app().await;
    let email = app.existing_user().await;
    let wrong_password = app.login(&email, "not the password").await;
    let unknown_email = app.login(&unique_email(), PASSWORD).await;
    let missing_password = app.post_json("/login", json!({ "email": email })).await;
    for reply in [&wrong_password, &unknown_email, &missing_password] {
        assert_eq!(reply.status, Status::BadRequest, "{}", reply.body);
        assert_eq!(reply.field_errors(""), vec![GENERIC]);
        assert_eq!(reply.errors(), vec![GENERIC]);
        assert!(
            reply.field_errors("email").is_empty() && reply.field_errors("password").is_empty()
        );
    }
    assert_eq!(
        wrong_password.json()["response"]["field_errors"],
        unknown_email.json()["response"]["field_errors"]
    );
    assert_eq!(app.me().await.status, Status::Unauthorized);
}

#[rocket::async_test]
async fn without_generic_responses_the_failure_is_specific() {
    let app = spawn_app_with(|f| f.merge(("security.generic_responses", false))).await;
    let email = app.existing_user().await;
    assert_eq!(
        app.login(&email, "not the password")
            .await
            .field_errors("password"),
        vec!["Invalid password"]
    );
    assert_eq!(
        app.login(&unique_email(), PASSWORD)
            .await
            .field_errors("email"),
        vec!["Specified user does not exist"]
    );
    assert_eq!(
        app.post_json("/login", json!({ "email": email }))
            .await
            .field_errors("password"),
        vec!["Password not provided"]
    );
}

#[rocket::async_test]
async fn a_form_login_failure_shows_the_error_and_keeps_the_email() {
    let app = spawn_app().await;
    let email = app.existing_user().await;
    let reply = app
        .post_form("/login", &[("email", &email), ("password", "nope")])
        .await;
    assert_eq!(reply.status, Status::Ok);
    assert!(reply.body.contains(GENERIC));
    assert!(reply.body.contains(&format!("value=\"{email}\"")));
}

#[rocket::async_test]
async fn a_disabled_account_cannot_sign_in() {
    let app = spawn_app().await;
    let email = app.existing_user().await;
    let user = app.user(&email).await;
    app::models::user::set_active(&mut *app.db().await, user.id, false)
        .await
        .unwrap();

    let reply = app.login(&email, PASSWORD).await;
    assert_eq!(reply.status, Status::BadRequest);
    assert_eq!(reply.field_errors("email"), vec!["Account is disabled."]);
    assert_eq!(app.me().await.status, Status::Unauthorized);
    // The wrong password still reveals nothing about the account's state.
    assert_eq!(
        app.login(&email, "nope").await.field_errors(""),
        vec![GENERIC]
    );
}

#[rocket::async_test]
async fn logging_out_ends_the_session_on_the_server() {
    let app = spawn_app().await;
    let email = app.existing_user().await;
    app.login(&email, PASSWORD).await;
    let stolen = app.cookie("session").expect("a session cookie");
    assert_eq!(app.token_count(&email, TokenContext::Session).await, 1);

    let reply = app.logout().await;
    assert_eq!(reply.status, Status::Ok);
    assert_eq!(reply.json()["response"], json!({}));
    assert!(
        reply
            .cookie("session")
            .is_some_and(|c| c.value().is_empty()),
        "the cookie is removed"
    );
    assert_eq!(app.me().await.status, Status::Unauthorized);
    assert_eq!(app.token_count(&email, TokenContext::Session).await, 0);

    let other = app.second_browser().await;
    let replay = read(
        other
            .get("/api/me")
            .header(Header::new("Accept", "application/json"))
            .cookie(stolen)
            .dispatch()
            .await,
    )
    .await;
    assert_eq!(
        replay.status,
        Status::Unauthorized,
        "the old cookie is dead"
    );
}

#[rocket::async_test]
async fn logout_is_a_post() {
    let app = spawn_app().await;
    let reply = app.get_json("/logout").await;
    assert_eq!(reply.status, Status::MethodNotAllowed);
    assert_eq!(reply.json()["meta"]["code"], 405);
}

#[rocket::async_test]
async fn a_form_logout_redirects_home() {
    let app = spawn_app().await;
    app.existing_user().await;
    let email = app.existing_user().await;
    app.login(&email, PASSWORD).await;
    app.post_form("/logout", &[]).await.assert_redirect_to("/");
    assert_eq!(app.me().await.status, Status::Unauthorized);
}

#[rocket::async_test]
async fn get_login_reports_the_signed_in_user() {
    let app = spawn_app().await;
    let email = app.existing_user().await;
    assert!(app.get_json("/login").await.json()["response"]
        .get("user")
        .is_none());
    app.login(&email, PASSWORD).await;
    let reply = app.get_json("/login").await;
    assert_eq!(reply.json()["response"]["user"]["email"], email.as_str());
    assert_eq!(
        reply.json()["response"]["identity_attributes"],
        json!(["email"])
    );
    app.get("/login").await.assert_redirect_to("/");
}

#[rocket::async_test]
async fn unauthenticated_requests_get_401_or_a_redirect_to_sign_in() {
    let app = spawn_app().await;
    let reply = app.me().await;
    assert_eq!(reply.status, Status::Unauthorized);
    assert_eq!(
        reply.errors(),
        vec!["You must sign in to view this resource."]
    );
    app.get("/api/me")
        .await
        .assert_redirect_to("/login?next=%2Fapi%2Fme");
    let page = app.get("/login?next=%2Fapi%2Fme").await;
    assert!(
        page.body.contains("name=\"next\" value=\"/api/me\""),
        "{}",
        page.body
    );
}

#[rocket::async_test]
async fn a_stored_hash_with_old_parameters_is_upgraded_at_sign_in() {
    let app = spawn_app().await;
    let email = app.existing_user().await;
    let old_hash = app.user(&email).await.password_hash;
    assert!(old_hash.contains("m=64,t=1,p=1"));

    let upgraded = app
        .relaunch_with(|f| {
            f.merge((
                "security.argon2",
                json!({ "memory_kib": 128, "iterations": 2, "parallelism": 1 }),
            ))
        })
        .await;
    let reply = post_json_as(
        &upgraded,
        "/login",
        json!({ "email": email, "password": PASSWORD }),
    )
    .await;
    assert_eq!(reply.status, Status::Ok, "{}", reply.body);
    let new_hash = app.user(&email).await.password_hash;
    assert!(
        new_hash.starts_with("$argon2id$v=19$m=128,t=2,p=1$"),
        "{new_hash}"
    );
    // The old parameters still verify the upgraded hash's password.
    assert_eq!(app.login(&email, PASSWORD).await.status, Status::Ok);
}
