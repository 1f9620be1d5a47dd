//! Password reset.

use crate::helpers::*;
use app::models::TokenContext;
use rocket::http::Status;
use rocket::serde::json::json;

const NEW_PASSWORD: &str = "my new secret passphrase";

fn reset_body() -> rocket::serde::json::Value {
    json!({ "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD })
}

#[rocket::async_test]
async fn a_reset_link_sets_a_new_password_and_ends_every_other_session() {
    let app = spawn_app().await;
    let email = app.existing_user().await;
    let old_token = app.login_token(&email).await;
    app.logout().await;

    let reply = app.post_json("/reset", json!({ "email": email })).await;
    assert_eq!(reply.status, Status::Ok);
    let mail = app.last_mail_to(&email);
    assert_eq!(mail.subject, "Password reset instructions");
    let link = link_in(&mail, "/reset/");

    let form = app.get(&link).await;
    assert_eq!(form.status, Status::Ok);
    assert!(
        form.body.contains(&format!("action=\"{link}\"")),
        "{}",
        form.body
    );
    assert_eq!(app.get_json(&link).await.status, Status::Ok);

    let reply = app.post_json(&link, reset_body()).await;
    assert_eq!(reply.status, Status::Ok, "{}", reply.body);
    assert_eq!(reply.json()["response"]["user"]["email"], email.as_str());
    assert_eq!(
        app.me().await.status,
        Status::Ok,
        "signed in after the reset"
    );
    assert_eq!(
        app.get_without_cookies(
            "/api/me",
            vec![rocket::http::Header::new("Authentication-Token", old_token)]
        )
        .await
        .status,
        Status::Unauthorized
    );
    assert_eq!(
        app.last_mail_to(&email).subject,
        "Your password has been reset"
    );
    assert_eq!(link_in(&app.last_mail_to(&email), "/reset"), "/reset");
    assert_eq!(
        app.user(&email).await.login_count,
        3,
        "register, login, reset sign-in"
    );

    app.logout().await;
    assert_eq!(app.login(&email, PASSWORD).await.status, Status::BadRequest);
    assert_eq!(app.login(&email, NEW_PASSWORD).await.status, Status::Ok);

    // Single use.
    let reused = app
        .post_json(
            &link,
            json!({ "password": "yet another one", "password_confirm": "yet another one" }),
        )
        .await;
    assert_eq!(reused.status, Status::BadRequest);
    assert_eq!(reused.errors(), vec!["Invalid reset password token."]);
    assert_eq!(app.login(&email, NEW_PASSWORD).await.status, Status::Ok);
}

#[rocket::async_test]
async fn an_unknown_email_gets_the_same_reply_and_no_mail() {
    let app = spawn_app().await;
    let email = app.existing_user().await;
    let before = app.outbox().len();
    let known = app.post_json("/reset", json!({ "email": email })).await;
    let unknown = app
        .post_json("/reset", json!({ "email": unique_email() }))
        .await;
    assert_eq!(known.status, unknown.status);
    let strip = |reply: &Reply| {
        let mut r = reply.json()["response"].clone();
        r.as_object_mut().unwrap().remove("csrf_token");
        r
    };
    assert_eq!(strip(&known), strip(&unknown));
    assert_eq!(app.outbox().len(), before + 1);

    let form_known = app.post_form("/reset", &[("email", &email)]).await;
    let form_unknown = app
        .post_form("/reset", &[("email", "nobody@example.com")])
        .await;
    form_known.assert_redirect_to("/login");
    form_unknown.assert_redirect_to("/login");

    let invalid = app
        .post_json("/reset", json!({ "email": "not an email" }))
        .await;
    assert_eq!(invalid.field_errors("email"), vec!["Invalid email address"]);
}

#[rocket::async_test]
async fn known_and_unknown_addresses_take_at_least_the_reply_floor() {
    let app = spawn_app_with(|f| f.merge(("security.mail_reply_floor", "300ms"))).await;
    let email = app.existing_user().await;
    for address in [email.clone(), unique_email()] {
        let started = std::time::Instant::now();
        let reply = app.post_json("/reset", json!({ "email": address })).await;
        assert_eq!(reply.status, Status::Ok);
        assert!(
            started.elapsed() >= std::time::Duration::from_millis(300),
            "{address}: {:?}",
            started.elapsed()
        );
    }
}

#[rocket::async_test]
async fn an_expired_link_changes_nothing() {
    let app = spawn_app_with(|f| f.merge(("security.reset_within", "1s"))).await;
    let email = app.existing_user().await;
    app.post_json("/reset", json!({ "email": email })).await;
    let link = link_in(&app.last_mail_to(&email), "/reset/");
    rocket::tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    for reply in [
        app.get_json(&link).await,
        app.post_json(&link, reset_body()).await,
    ] {
        assert_eq!(reply.status, Status::BadRequest);
        assert_eq!(
            reply.errors(),
            vec!["You did not reset your password within 1 second."]
        );
    }
    assert_eq!(app.login(&email, PASSWORD).await.status, Status::Ok);
}

#[rocket::async_test]
async fn bad_new_passwords_keep_the_link_usable() {
    let app = spawn_app().await;
    let email = app.existing_user().await;
    app.post_json("/reset", json!({ "email": email })).await;
    let link = link_in(&app.last_mail_to(&email), "/reset/");
    let short = app
        .post_json(
            &link,
            json!({ "password": "short", "password_confirm": "short" }),
        )
        .await;
    assert_eq!(
        short.field_errors("password"),
        vec!["Password must be at least 8 characters"]
    );
    let mismatch = app
        .post_json(
            &link,
            json!({ "password": NEW_PASSWORD, "password_confirm": "other" }),
        )
        .await;
    assert_eq!(
        mismatch.field_errors("password_confirm"),
        vec!["Passwords do not match"]
    );
    assert_eq!(app.post_json(&link, reset_body()).await.status, Status::Ok);
}

#[rocket::async_test]
async fn a_newer_link_voids_the_older_one_and_tampering_is_refused() {
    let app = spawn_app().await;
    let email = app.existing_user().await;
    app.post_json("/reset", json!({ "email": email })).await;
    let first = link_in(&app.last_mail_to(&email), "/reset/");
    app.post_json("/reset", json!({ "email": email })).await;
    let second = link_in(&app.last_mail_to(&email), "/reset/");
    assert_eq!(
        app.post_json(&first, reset_body()).await.errors(),
        vec!["Invalid reset password token."]
    );
    assert_eq!(
        app.post_json(&format!("{second}x"), reset_body())
            .await
            .errors(),
        vec!["Invalid reset password token."]
    );
    assert_eq!(app.token_count(&email, TokenContext::Reset).await, 1);
    assert_eq!(
        app.post_json(&second, reset_body()).await.status,
        Status::Ok
    );
    assert_eq!(app.token_count(&email, TokenContext::Reset).await, 0);
}

#[rocket::async_test]
async fn without_auto_login_the_reset_only_sets_the_password() {
    let app = spawn_app_with(|f| f.merge(("security.auto_login_after_reset", false))).await;
    let email = app.existing_user().await;
    app.post_json("/reset", json!({ "email": email })).await;
    let link = link_in(&app.last_mail_to(&email), "/reset/");
    let reply = app
        .post_form(
            &link,
            &[
                ("password", NEW_PASSWORD),
                ("password_confirm", NEW_PASSWORD),
            ],
        )
        .await;
    reply.assert_redirect_to("/login");
    assert_eq!(app.me().await.status, Status::Unauthorized);
    assert!(app
        .get("/login")
        .await
        .body
        .contains("You successfully reset your password. Please sign in."));
}

#[rocket::async_test]
async fn the_forgot_password_pages_work_in_a_browser() {
    let app = spawn_app().await;
    let email = app.existing_user().await;
    assert!(app.get("/login").await.body.contains("href=\"/reset\""));
    assert_eq!(app.get("/reset").await.status, Status::Ok);
    app.post_form("/reset", &[("email", &email)])
        .await
        .assert_redirect_to("/login");
    assert!(app.get("/login").await.body.contains(&format!(
        "If an account exists for {email}, we sent it a link to choose a new password."
    )));
    let link = link_in(&app.last_mail_to(&email), "/reset/");
    let reply = app
        .post_form(
            &link,
            &[
                ("password", NEW_PASSWORD),
                ("password_confirm", NEW_PASSWORD),
            ],
        )
        .await;
    reply.assert_redirect_to("/");
    assert!(app
        .get("/")
        .await
        .body
        .contains("You successfully reset your password"));
    let bad = app.get("/reset/nonsense").await;
    bad.assert_redirect_to("/reset");
}
