//! Configuration checked at launch, and odds and ends of the foundation.

use crate::helpers::*;
use app::models::TokenContext;
use rocket::http::Status;
use rocket::local::asynchronous::Client;
use rocket::serde::json::json;

#[rocket::async_test]
async fn an_invalid_setting_stops_the_launch() {
    let dir = tempfile::tempdir().unwrap();
    for (key, value) in [
        ("security.password_min_length", json!(0)),
        ("security.reset_within", json!("whenever")),
        ("security.argon2", json!({ "memory_kib": 1 })),
        ("security.url_prefix", json!("auth/")),
        ("security.no_such_setting", json!(true)),
    ] {
        let figment = test_figment(&dir).await.merge((key, value.clone()));
        assert!(launch_fails(figment).await, "{key} = {value} launched");
    }
}

#[rocket::async_test]
async fn the_release_profile_refuses_to_launch_without_a_secret_key() {
    let dir = tempfile::tempdir().unwrap();
    let url: String = test_figment(&dir)
        .await
        .extract_inner("databases.app.url")
        .unwrap();
    let without_key = app::figment()
        .select("release")
        .merge(("security", default_flags()))
        .merge(("log_level", "off"))
        .merge(("databases.app.url", url));
    assert!(launch_fails(without_key.clone()).await);
    let with_key = without_key.merge(("secret_key", SECRET_KEY));
    // Emailed links need the real site address and a real mail transport.
    assert!(launch_fails(with_key.clone()).await, "no public_url");
    let with_url = with_key
        .clone()
        .merge(("security.public_url", "https://example.com"));
    assert!(
        launch_fails(with_url.clone()).await,
        "mail would only be logged"
    );
    let with_smtp = with_url
        .merge(("mail.transport", "smtp"))
        .merge(("mail.smtp_url", "smtp://127.0.0.1:2525"));
    assert!(Client::tracked(app::rocket_from(with_smtp.clone()))
        .await
        .is_ok());
    // Without any emailed flow, neither is needed.
    let no_mail_flows = with_key.merge((
        "security",
        json!({ "recoverable": false, "confirmable": false, "passwordless": false }),
    ));
    assert!(Client::tracked(app::rocket_from(no_mail_flows))
        .await
        .is_ok());
}

#[rocket::async_test]
async fn the_url_prefix_moves_every_security_endpoint() {
    let app = spawn_app_with(|f| f.merge(("security.url_prefix", "/auth"))).await;
    assert_eq!(app.get_json("/login").await.status, Status::NotFound);
    app.get("/api/me")
        .await
        .assert_redirect_to("/auth/login?next=%2Fapi%2Fme");
    let token = app.get_json("/auth/login").await.json()["response"]["csrf_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let email = unique_email();
    let reply = app
        .post_json_with(
            "/auth/register",
            json!({ "email": email, "password": PASSWORD }),
            Some(&token),
        )
        .await;
    assert_eq!(reply.status, Status::Ok, "{}", reply.body);
    assert!(app.get("/").await.body.contains("action=\"/auth/logout\""));
}

#[rocket::async_test]
async fn passwords_are_unicode_normalised_and_bounded() {
    let app = spawn_app().await;
    let email = unique_email();
    assert_eq!(
        app.register(&email, "caf\u{e9} cr\u{e8}me br\u{fb}l\u{e9}e")
            .await
            .status,
        Status::Ok
    );
    app.logout().await;
    assert_eq!(
        app.login(&email, "cafe\u{301} cre\u{300}me bru\u{302}le\u{301}e")
            .await
            .status,
        Status::Ok
    );

    let reply = app.register(&unique_email(), &"x".repeat(129)).await;
    assert_eq!(
        reply.field_errors("password"),
        vec!["Password must be at most 128 characters"]
    );
}

#[rocket::async_test]
async fn expired_tokens_are_purged() {
    let app = spawn_app_with(|f| f.merge(("security.token_max_age", "1s"))).await;
    let email = app.existing_user().await;
    app.login_token(&email).await;
    assert_eq!(app.token_count(&email, TokenContext::Api).await, 2);
    rocket::tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let config: app::config::SecurityConfig =
        app::config::SecurityConfig::from_figment(&app.figment).unwrap();
    let purged = app::accounts::tokens::purge_expired_tokens(&mut *app.db().await, &config)
        .await
        .unwrap();
    assert_eq!(purged, 2);
    assert_eq!(app.token_count(&email, TokenContext::Api).await, 0);
    assert_eq!(
        app.token_count(&email, TokenContext::Session).await,
        1,
        "the live session stays"
    );
}

#[rocket::async_test]
async fn static_files_come_from_static_dir_found_at_run_time() {
    let assets = tempfile::tempdir().unwrap();
    std::fs::write(assets.path().join("app.css"), "body { color: teal }").unwrap();
    let dir = assets.path().to_string_lossy().into_owned();
    let app = spawn_app_with(|f| f.merge(("static_dir", dir))).await;
    let css = app.get("/static/app.css").await;
    assert_eq!(css.status, Status::Ok);
    assert_eq!(css.body, "body { color: teal }");

    let nowhere = tempfile::tempdir().unwrap();
    let missing = nowhere
        .path()
        .join("no-such-dir")
        .to_string_lossy()
        .into_owned();
    let figment = test_figment(&nowhere).await.merge(("static_dir", missing));
    assert!(
        launch_fails(figment).await,
        "a missing static_dir refuses to launch"
    );
}
