//! Request guards: which credentials each accepts, role checks, and how
//! refusals look to JSON clients and browsers.

use crate::helpers::*;
use app::http::{
    AllRoles, AnyRole, BasicUser, CurrentUser, HasRole, MaybeUser, SessionUser, TokenUser,
};
use app::role;
use rocket::http::{Header, Status};
use rocket::serde::json::{json, Json, Value};
use rocket::{get, routes};

role!(Admin = "admin");
role!(Editor = "editor");

#[get("/session")]
fn session_only(user: SessionUser) -> Json<Value> {
    Json(json!({ "email": user.user.email }))
}
#[get("/token")]
fn token_only(user: TokenUser) -> Json<Value> {
    Json(json!({ "email": user.user.email }))
}
#[get("/basic")]
fn basic_only(user: BasicUser) -> Json<Value> {
    Json(json!({ "email": user.user.email }))
}
#[get("/maybe")]
fn maybe(user: MaybeUser) -> Json<Value> {
    Json(json!({ "email": user.0.map(|u| u.user.email) }))
}
#[get("/any-user")]
fn any_user(user: CurrentUser) -> Json<Value> {
    Json(json!({ "email": user.user.email }))
}
#[get("/has")]
fn has(_user: HasRole<Admin>) -> &'static str {
    "ok"
}
#[get("/any")]
fn any(_user: AnyRole<(Admin, Editor)>) -> &'static str {
    "ok"
}
#[get("/all")]
fn all(_user: AllRoles<(Admin, Editor)>) -> &'static str {
    "ok"
}

async fn guarded_app() -> TestApp {
    spawn_custom_app(
        |f| f,
        |rocket| {
            rocket.mount(
                "/t",
                routes![
                    session_only,
                    token_only,
                    basic_only,
                    maybe,
                    any_user,
                    has,
                    any,
                    all
                ],
            )
        },
    )
    .await
}

#[rocket::async_test]
async fn each_guard_accepts_only_its_own_credential() {
    let app = guarded_app().await;
    let email = app.existing_user().await;
    let token = app.login_token(&email).await; // also signs this client in by session

    assert_eq!(app.get_json("/t/session").await.status, Status::Ok);
    assert_eq!(
        app.get_json("/t/token").await.status,
        Status::Unauthorized,
        "a session is not a token"
    );
    assert_eq!(app.get_json("/t/basic").await.status, Status::Unauthorized);
    assert_eq!(app.get_json("/t/any-user").await.status, Status::Ok);

    let by_token = |path: &'static str| {
        app.get_without_cookies(
            path,
            vec![Header::new("Authentication-Token", token.clone())],
        )
    };
    assert_eq!(by_token("/t/token").await.json()["email"], email.as_str());
    assert_eq!(
        by_token("/t/session").await.status,
        Status::Unauthorized,
        "a token is not a session"
    );
    assert_eq!(by_token("/t/any-user").await.status, Status::Ok);
    assert_eq!(by_token("/api/me").await.json()["email"], email.as_str());

    let by_basic =
        |path: &'static str| app.get_without_cookies(path, vec![basic(&email, PASSWORD)]);
    assert_eq!(by_basic("/t/basic").await.json()["email"], email.as_str());
    assert_eq!(by_basic("/t/token").await.status, Status::Unauthorized);
    assert_eq!(by_basic("/api/me").await.status, Status::Ok);
}

#[rocket::async_test]
async fn the_auth_token_also_works_as_a_query_parameter() {
    let app = guarded_app().await;
    let email = app.existing_user().await;
    let token = app.login_token(&email).await;
    let reply = app
        .get_without_cookies(&format!("/api/me?auth_token={token}"), vec![])
        .await;
    assert_eq!(reply.status, Status::Ok);
    assert_eq!(reply.json()["email"], email.as_str());
}

#[rocket::async_test]
async fn bad_tokens_are_refused_never_anonymous_never_500() {
    let app = guarded_app().await;
    let email = app.existing_user().await;
    let token = app.login_token(&email).await;
    let mut tampered = token.clone().into_bytes();
    tampered[10] = if tampered[10] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(tampered).unwrap();
    for bad in [tampered.as_str(), "garbage", "", "💥", &"x".repeat(5000)] {
        for path in ["/api/me", "/t/maybe", "/t/token"] {
            let reply = app
                .get_without_cookies(
                    path,
                    vec![Header::new("Authentication-Token", bad.to_owned())],
                )
                .await;
            assert_eq!(
                reply.status,
                Status::Unauthorized,
                "{path} with {bad:?}: {}",
                reply.body
            );
            assert_eq!(
                reply.errors(),
                vec!["You must sign in to view this resource."]
            );
        }
    }
    assert_eq!(
        app.get_without_cookies("/t/maybe", vec![]).await.json()["email"],
        json!(null)
    );
}

#[rocket::async_test]
async fn tokens_expire_after_token_max_age() {
    let app = spawn_app_with(|f| f.merge(("security.token_max_age", "1s"))).await;
    let email = app.existing_user().await;
    let token = app.login_token(&email).await;
    assert_eq!(
        app.get_without_cookies(
            "/api/me",
            vec![Header::new("Authentication-Token", token.clone())]
        )
        .await
        .status,
        Status::Ok
    );
    rocket::tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert_eq!(
        app.get_without_cookies("/api/me", vec![Header::new("Authentication-Token", token)])
            .await
            .status,
        Status::Unauthorized
    );
}

#[rocket::async_test]
async fn basic_auth_failures_challenge_the_client() {
    let app = guarded_app().await;
    let email = app.existing_user().await;
    let malformed = [
        basic(&email, "wrong password"),
        basic(&unique_email(), PASSWORD),
        Header::new("Authorization", "Basic !!!not-base64"),
        Header::new("Authorization", "Basic bm9jb2xvbg=="),
        Header::new("Authorization", "Basic /w=="),
    ];
    for header in malformed {
        let reply = app
            .get_without_cookies("/api/me", vec![header.clone()])
            .await;
        assert_eq!(reply.status, Status::Unauthorized, "{header:?}");
        assert_eq!(
            reply.header("WWW-Authenticate"),
            Some("Basic realm=\"Login Required\"")
        );
        assert_eq!(
            reply.errors(),
            vec!["You must sign in to view this resource."]
        );
    }
    // A Basic-only route challenges even when nothing was sent.
    let reply = app.get_without_cookies("/t/basic", vec![]).await;
    assert_eq!(
        reply.header("WWW-Authenticate"),
        Some("Basic realm=\"Login Required\"")
    );
    // Other routes do not invite a Basic prompt.
    assert_eq!(
        app.get_without_cookies("/api/me", vec![])
            .await
            .header("WWW-Authenticate"),
        None
    );
}

#[rocket::async_test]
async fn the_basic_realm_is_configurable() {
    let app = spawn_app_with(|f| f.merge(("security.basic_realm", "Staff Area"))).await;
    let reply = app
        .get_without_cookies("/api/me", vec![basic("a@example.com", "nope")])
        .await;
    assert_eq!(
        reply.header("WWW-Authenticate"),
        Some("Basic realm=\"Staff Area\"")
    );
}

#[rocket::async_test]
async fn role_guards_check_has_any_and_all() {
    let app = guarded_app().await;
    let email = app.existing_user().await;
    app.login(&email, PASSWORD).await;
    assert_eq!(role_statuses(&app).await, vec![403, 403, 403], "no roles");
    app.grant_role(&email, "editor").await;
    assert_eq!(role_statuses(&app).await, vec![403, 200, 403], "editor");
    app.grant_role(&email, "admin").await;
    assert_eq!(
        role_statuses(&app).await,
        vec![200, 200, 200],
        "admin and editor"
    );

    let other = app.existing_user().await;
    app.login(&other, PASSWORD).await;
    app.grant_role(&other, "admin").await;
    assert_eq!(role_statuses(&app).await, vec![200, 200, 403], "admin only");
}

#[rocket::async_test]
async fn refusals_differ_by_request_kind() {
    let app = spawn_app().await;
    let anonymous_json = app.get_json("/api/admin").await;
    assert_eq!(anonymous_json.status, Status::Unauthorized);
    app.get("/admin")
        .await
        .assert_redirect_to("/login?next=%2Fadmin");

    let email = app.existing_user().await;
    app.login(&email, PASSWORD).await;
    let forbidden = app.get_json("/api/admin").await;
    assert_eq!(forbidden.status, Status::Forbidden);
    assert_eq!(
        forbidden.errors(),
        vec!["You do not have permission to view this resource."]
    );
    assert_eq!(forbidden.json()["meta"]["code"], 403);
    let page = app.get("/admin").await;
    assert_eq!(page.status, Status::Forbidden);
    assert!(page
        .body
        .contains("You do not have permission to view this resource."));
    assert!(
        !app.get("/").await.body.contains("href=\"/admin\""),
        "no admin link for non-admins"
    );

    app.grant_role(&email, "editor").await;
    assert_eq!(
        app.get_json("/api/staff").await.json(),
        json!({ "ok": true })
    );
    assert_eq!(app.get_json("/api/admin").await.status, Status::Forbidden);
    app.grant_role(&email, "admin").await;
    assert_eq!(
        app.get_json("/api/admin").await.json(),
        json!({ "ok": true })
    );
    let admin_page = app.get("/admin").await;
    assert_eq!(admin_page.status, Status::Ok);
    assert!(admin_page.body.contains(&email));
    assert!(app.get("/").await.body.contains("href=\"/admin\""));
    let account = app.get("/account").await;
    assert!(account.body.contains("admin") && account.body.contains(&email));
}

#[rocket::async_test]
async fn a_deactivated_user_is_never_authenticated() {
    let app = spawn_app().await;
    let email = app.existing_user().await;
    let token = app.login_token(&email).await;
    let user = app.user(&email).await;
    app::models::user::set_active(&mut *app.db().await, user.id, false)
        .await
        .unwrap();
    assert_eq!(app.me().await.status, Status::Unauthorized, "session");
    assert_eq!(
        app.get_without_cookies("/api/me", vec![Header::new("Authentication-Token", token)])
            .await
            .status,
        Status::Unauthorized
    );
    assert_eq!(
        app.get_without_cookies("/api/me", vec![basic(&email, PASSWORD)])
            .await
            .status,
        Status::Unauthorized
    );
}

async fn role_statuses(app: &TestApp) -> Vec<u16> {
    let mut result = vec![];
    for path in ["/t/has", "/t/any", "/t/all"] {
        result.push(app.get_json(path).await.status.code);
    }
    result
}
