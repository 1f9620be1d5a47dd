//! Passkeys (API-NEXT → Passkeys (WebAuthn)), the switches and the pages of
//! a key as the second factor: `allow_as_first_factor = false` makes every
//! key a second factor, `allow_as_multi_factor = false` makes a verified
//! passkey one factor, and the code page offers the key beside the code.

use crate::helpers::*;
use crate::webauthn::register_key;
use rocket::figment::Figment;
use rocket::http::Status;
use rocket::serde::json::{json, Value};

fn passkeys(f: Figment) -> Figment {
    f.merge(("security.webauthn.enabled", true))
        .merge(("security.webauthn.rp_name", "Example"))
}

fn two_factor(f: Figment) -> Figment {
    f.merge(("security.two_factor", true))
        .merge(("security.totp_issuer", "Example"))
}

fn response(reply: &Reply) -> Value {
    reply.json()["response"].clone()
}

/// `POST /wan-signin {}` answered by `credential(options)`.
async fn sign_in_with(app: &TestApp, credential: impl FnOnce(&Value) -> String) -> Reply {
    let started = app.post_json("/wan-signin", json!({})).await;
    assert_eq!(started.status, Status::Ok, "{}", started.body);
    let r = response(&started);
    let state = r["wan_state"].as_str().unwrap();
    app.post_json(
        &format!("/wan-signin/{state}"),
        json!({ "credential": credential(&r["credential_options"]) }),
    )
    .await
}

#[rocket::async_test]
async fn with_keys_not_allowed_as_first_factor_every_key_is_a_second_factor() {
    let app =
        spawn_app_with(|f| passkeys(f).merge(("security.webauthn.allow_as_first_factor", false)))
            .await;
    let email = app.existing_user().await;
    app.login(&email, PASSWORD).await;
    let page = app.get("/wan-register").await;
    assert!(!page.body.contains("value=\"first\""), "{}", page.body);
    let mut key = register_key(&app, "Phone", "first").await;
    let keys = response(&app.get_json("/wan-register").await)["registered_credentials"].clone();
    assert_eq!(
        keys[0]["usage"], "secondary",
        "asked first, stored secondary"
    );
    app.logout().await;

    // Without a pending sign-in there is no passkey sign-in at all.
    assert_eq!(app.get("/wan-signin").await.status, Status::NotFound);
    assert_eq!(
        app.post_json("/wan-signin", json!({})).await.status,
        Status::NotFound
    );
    let login = app.get("/login").await;
    assert!(!login.body.contains("data-wan-autofill"), "{}", login.body);

    // The key is the second factor after the password.
    let pending = app.login(&email, PASSWORD).await;
    assert_eq!(response(&pending)["tf_method"], "webauthn");
    let done = sign_in_with(&app, |o| key.assert(o)).await;
    assert_eq!(done.status, Status::Ok, "{}", done.body);
    assert_eq!(app.me().await.json()["email"], email.as_str());
}

#[rocket::async_test]
async fn with_multi_factor_off_a_verified_passkey_is_one_factor() {
    let app = spawn_app_with(|f| {
        two_factor(passkeys(f)).merge(("security.webauthn.allow_as_multi_factor", false))
    })
    .await;
    crate::recovery_codes::user_with_authenticator(&app).await;
    let mut key = register_key(&app, "Laptop", "first").await;
    app.logout().await;
    assert!(key.verified);
    let reply = sign_in_with(&app, |o| key.assert(o)).await;
    assert_eq!(reply.status, Status::Ok, "{}", reply.body);
    let r = response(&reply);
    assert_eq!(r["tf_required"], true, "{}", reply.body);
    assert_eq!(r["tf_method"], "authenticator");
    assert!(r.get("user").is_none());
    assert_eq!(app.me().await.status, Status::Unauthorized);
}

#[rocket::async_test]
async fn the_code_page_offers_the_key_and_a_refused_key_returns_to_its_page() {
    let app = spawn_app_with(|f| two_factor(passkeys(f))).await;
    let without = crate::recovery_codes::user_with_authenticator(&app).await;
    app.logout().await;
    app.post_form("/login", &[("email", &without), ("password", PASSWORD)])
        .await;
    let page = app.get("/tf-validate").await;
    assert_eq!(page.status, Status::Ok);
    assert!(
        !page.body.contains("href=\"/wan-signin\""),
        "no key, no link"
    );
    let _ = app.logout().await;

    let email = crate::recovery_codes::user_with_authenticator(&app).await;
    let mut key = register_key(&app, "YubiKey", "secondary").await;
    app.logout().await;
    let browser = app
        .post_form("/login", &[("email", &email), ("password", PASSWORD)])
        .await;
    assert_eq!(browser.location(), Some("/tf-validate"));
    let page = app.get("/tf-validate").await;
    assert!(
        page.body
            .contains("href=\"/wan-signin\">Use my passkey or security key</a>"),
        "{}",
        page.body
    );
    let passkey_page = app.get("/wan-signin").await;
    assert_eq!(passkey_page.status, Status::Ok);

    // A garbled answer in the browser: back to the passkey page, with why.
    let started = app.post_json("/wan-signin", json!({})).await;
    let r = response(&started);
    assert_eq!(r["is_secondary"], true);
    let state = r["wan_state"].as_str().unwrap().to_owned();
    let refused = app
        .post_form(
            &format!("/wan-signin/{state}"),
            &[("credential", "{\"id\": 1}")],
        )
        .await;
    assert_eq!(refused.status, Status::Found);
    assert_eq!(refused.location(), Some("/wan-signin"));
    let again = app.get("/wan-signin").await;
    assert!(
        again
            .body
            .contains("Input not appropriate for requested API"),
        "{}",
        again.body
    );
    assert_eq!(app.me().await.status, Status::Unauthorized);

    // The pending sign-in went on: the key still completes it.
    let done = sign_in_with(&app, |o| key.assert(o)).await;
    assert_eq!(done.status, Status::Ok, "{}", done.body);
    assert_eq!(app.me().await.json()["email"], email.as_str());
}
