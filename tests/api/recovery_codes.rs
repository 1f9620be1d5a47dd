//! Recovery codes: made while signed in and fresh, shown again, each
//! completing one pending two-factor sign-in.

use crate::helpers::*;
use rocket::http::Status;
use rocket::serde::json::{json, Value};
use totp_rs::{Builder, Secret};

pub async fn app_with_codes() -> TestApp {
    spawn_app_with(|f| {
        f.merge(("security.two_factor", true))
            .merge(("security.totp_issuer", "Example"))
            .merge(("security.recovery_codes", true))
    })
    .await
}

/// A user with the authenticator set up, signed in on `app.client`.
pub async fn user_with_authenticator(app: &TestApp) -> String {
    let email = app.existing_user().await;
    app.login(&email, PASSWORD).await;
    let started = app
        .post_json("/tf-setup", json!({ "setup": "authenticator" }))
        .await;
    let r = started.json()["response"].clone();
    let key = Secret::try_from_base32(r["tf_authr_b32key"].as_str().unwrap()).unwrap();
    let code = Builder::new()
        .with_secret(key)
        .build()
        .unwrap()
        .generate_current();
    let state = r["tf_state_token"].as_str().unwrap();
    let done = app
        .post_json(
            &format!("/tf-setup/{state}"),
            json!({ "code": code.to_string() }),
        )
        .await;
    assert_eq!(done.status, Status::Ok, "{}", done.body);
    email
}

fn codes(reply: &Reply) -> Vec<String> {
    serde_json::from_value(reply.json()["response"]["recovery_codes"].clone()).unwrap()
}

#[rocket::async_test]
async fn codes_are_made_shown_again_and_each_completes_one_sign_in() {
    let app = app_with_codes().await;
    let email = user_with_authenticator(&app).await;
    assert_eq!(
        codes(&app.get_json("/mf-recovery-codes").await),
        Vec::<String>::new()
    );
    let made = app.post_json("/mf-recovery-codes", json!({})).await;
    assert_eq!(made.status, Status::Ok, "{}", made.body);
    let first = codes(&made);
    assert_eq!(first.len(), 5);
    for code in &first {
        assert_eq!(code.len(), 14);
        assert!(code.chars().enumerate().all(|(i, c)| if i == 4 || i == 9 {
            c == '-'
        } else {
            c.is_ascii_hexdigit()
        }));
    }
    assert_eq!(codes(&app.get_json("/mf-recovery-codes").await), first);
    assert_eq!(
        app.last_mail_to(&email).subject,
        "Two-factor sign-in changed"
    );
    // Sealed at rest.
    let user = app.user(&email).await;
    let rows = app::models::recovery_code::unused(&mut *app.db().await, user.id)
        .await
        .unwrap();
    assert!(rows
        .iter()
        .all(|r| !first.iter().any(|c| r.code == c.as_bytes())));

    app.logout().await;
    app.login(&email, PASSWORD).await;
    let options = app.get_json("/tf-validate").await.json()["response"]["recovery_options"].clone();
    assert_eq!(options["recovery_code"], "/mf-recovery");
    for bad in [json!("0000-0000-0000"), json!(""), json!(42), Value::Null] {
        let reply = app.post_json("/mf-recovery", json!({ "code": bad })).await;
        assert_eq!(reply.status, Status::BadRequest, "{bad}");
        assert_eq!(
            reply.field_errors("code"),
            vec!["Recovery code invalid"],
            "{bad}"
        );
    }
    let done = app
        .post_json("/mf-recovery", json!({ "code": first[0].to_uppercase() }))
        .await;
    assert_eq!(done.status, Status::Ok, "{}", done.body);
    assert!(done.json()["response"]["user"]["authentication_token"].is_string());
    assert_eq!(app.me().await.status, Status::Ok);
    // Used up: the page lists the other four, and it works no more.
    assert_eq!(
        codes(&app.get_json("/mf-recovery-codes").await),
        first[1..].to_vec()
    );
    let signed_in = app
        .post_json("/mf-recovery", json!({ "code": first[1] }))
        .await;
    assert_eq!(signed_in.status, Status::BadRequest);
    assert_eq!(
        signed_in.errors(),
        vec!["You can only access this endpoint when not logged in."]
    );
    app.logout().await;
    app.login(&email, PASSWORD).await;
    let reused = app
        .post_json("/mf-recovery", json!({ "code": first[0] }))
        .await;
    assert_eq!(reused.status, Status::BadRequest);

    let none = post_json_as(
        &app.second_browser().await,
        "/mf-recovery",
        json!({ "code": first[1] }),
    )
    .await;
    assert_eq!(
        none.status,
        Status::Unauthorized,
        "no pending sign-in there"
    );
    let done = app
        .post_json("/mf-recovery", json!({ "code": first[1] }))
        .await;
    assert_eq!(done.status, Status::Ok, "{}", done.body);

    // A new generation ends the old one.
    let second = codes(&app.post_json("/mf-recovery-codes", json!({})).await);
    assert!(second.iter().all(|c| !first.contains(c)));
    app.logout().await;
    app.login(&email, PASSWORD).await;
    let old = app
        .post_json("/mf-recovery", json!({ "code": first[2] }))
        .await;
    assert_eq!(old.status, Status::BadRequest, "from an earlier generation");
    let new = app
        .post_json("/mf-recovery", json!({ "code": second[0] }))
        .await;
    assert_eq!(new.status, Status::Ok);
}

#[rocket::async_test]
async fn recovery_codes_need_a_sign_in_and_the_setting_needs_two_factor() {
    let app = app_with_codes().await;
    let anonymous = app.get_without_cookies("/mf-recovery-codes", vec![]).await;
    assert_eq!(anonymous.status, Status::Unauthorized);
    let dir = tempfile::tempdir().unwrap();
    let figment = test_figment(&dir)
        .await
        .merge(("security.recovery_codes", true));
    assert!(launch_fails(figment).await);
    let off = spawn_app().await;
    assert_eq!(
        off.get_json("/mf-recovery-codes").await.status,
        Status::NotFound
    );
}

#[rocket::async_test]
async fn recovery_codes_need_a_fresh_sign_in() {
    let app = spawn_app_with(|f| {
        f.merge(("security.two_factor", true))
            .merge(("security.totp_issuer", "Example"))
            .merge(("security.recovery_codes", true))
            .merge(("security.freshness", "1s"))
            .merge(("security.freshness_grace", "0s"))
    })
    .await;
    user_with_authenticator(&app).await;
    rocket::tokio::time::sleep(std::time::Duration::from_millis(1200)).await;
    for reply in [
        app.get_json("/mf-recovery-codes").await,
        app.post_json("/mf-recovery-codes", json!({})).await,
    ] {
        assert_eq!(reply.status, Status::Unauthorized);
        assert_eq!(reply.json()["response"]["reauth_required"], true);
    }
}
