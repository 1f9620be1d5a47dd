//! Passkeys (API-NEXT → Passkeys (WebAuthn)), using a key: sign-in with and
//! without an identity, the second factor of a pending sign-in, and
//! re-authentication — each only with a key of the right account and
//! usage, each state once, counters that never go back.

use crate::helpers::*;
use crate::webauthn::register_key;
use crate::webauthn_support::{unb64, SoftKey};
use rocket::http::Status;
use rocket::serde::json::{json, Value};

async fn app_with(two_factor: bool) -> TestApp {
    spawn_app_with(move |f| {
        let f = f
            .merge(("security.webauthn.enabled", true))
            .merge(("security.webauthn.rp_name", "Example"))
            .merge(("security.generic_responses", false));
        if two_factor {
            f.merge(("security.two_factor", true))
                .merge(("security.totp_issuer", "Example"))
                .merge(("security.recovery_codes", true))
        } else {
            f
        }
    })
    .await
}

fn response(reply: &Reply) -> Value {
    reply.json()["response"].clone()
}

/// `POST /wan-signin` with `body`: the options and the state.
async fn begin(app: &TestApp, body: Value) -> (Value, String, Value) {
    let reply = app.post_json("/wan-signin", body).await;
    assert_eq!(reply.status, Status::Ok, "{}", reply.body);
    let r = response(&reply);
    (
        r["credential_options"].clone(),
        r["wan_state"].as_str().unwrap().to_owned(),
        r,
    )
}

/// A usernameless `/wan-signin` answered by `credential(options)`.
async fn sign_in_with(app: &TestApp, credential: impl FnOnce(&Value) -> String) -> Reply {
    let (options, state, _) = begin(app, json!({})).await;
    answer(
        app,
        &format!("/wan-signin/{state}"),
        credential(&options),
        false,
    )
    .await
}

async fn answer(app: &TestApp, path: &str, credential: String, remember: bool) -> Reply {
    app.post_json(
        path,
        json!({ "credential": credential, "remember": remember }),
    )
    .await
}

#[rocket::async_test]
async fn a_passkey_signs_in_like_a_password_with_or_without_an_identity() {
    let app = app_with(false).await;
    let email = app.existing_user().await;
    app.login(&email, PASSWORD).await;
    let mut key = register_key(&app, "Phone", "first").await;
    app.logout().await;
    let before = app.user(&email).await.login_count;

    let (options, state, r) = begin(&app, json!({ "identity": email, "remember": true })).await;
    assert_eq!(r["is_secondary"], false);
    assert_eq!(r["remember"], true);
    assert_eq!(options["rpId"], "localhost");
    assert_eq!(options["timeout"], 60000);
    assert_eq!(options["userVerification"], "preferred");
    assert_eq!(unb64(options["challenge"].as_str().unwrap()).len(), 32);
    let allowed = options["allowCredentials"].as_array().unwrap();
    assert_eq!(allowed.len(), 1);
    assert_eq!(unb64(allowed[0]["id"].as_str().unwrap()), key.credential_id);
    assert_eq!(allowed[0]["transports"], json!(["internal", "hybrid"]));

    let done = answer(
        &app,
        &format!("/wan-signin/{state}"),
        key.assert(&options),
        true,
    )
    .await;
    assert_eq!(done.status, Status::Ok, "{}", done.body);
    let r = response(&done);
    assert_eq!(r["user"]["email"], email.as_str());
    assert!(r["user"]["authentication_token"].is_string());
    assert_eq!(r["tf_required"], false);
    assert_eq!(r["post_login_url"], "/");
    assert!(
        done.cookie("remember_token").is_some(),
        "this step asked to be remembered"
    );
    assert_eq!(app.me().await.status, Status::Ok);
    assert_eq!(app.user(&email).await.login_count, before + 1);
    assert!(app
        .events(&email)
        .await
        .iter()
        .any(|e| e == "login_succeeded"));

    // The state served once.
    app.logout().await;
    let again = answer(
        &app,
        &format!("/wan-signin/{state}"),
        key.assert(&options),
        false,
    )
    .await;
    assert_eq!(
        again.field_errors(""),
        vec!["Input not appropriate for requested API"]
    );

    // Usernameless: any discoverable key; an unknown identity looks the same.
    let (options, state, _) = begin(&app, json!({})).await;
    assert_eq!(options["allowCredentials"], json!([]));
    let (unknown, _, _) = begin(&app, json!({ "identity": "nobody@example.com" })).await;
    assert_eq!(unknown["allowCredentials"], json!([]));
    let done = answer(
        &app,
        &format!("/wan-signin/{state}"),
        key.assert(&options),
        false,
    )
    .await;
    assert_eq!(done.status, Status::Ok, "{}", done.body);
    assert!(done.cookie("remember_token").is_none());

    // The list shows the key's last use.
    let keys = response(&app.get_json("/wan-register").await)["registered_credentials"].clone();
    assert_ne!(keys[0]["lastuse"], keys[0]["created_at"]);
}

#[rocket::async_test]
async fn wrong_keys_counters_and_answers_are_refused_and_counted() {
    let app = app_with(false).await;
    let email = app.existing_user().await;
    app.login(&email, PASSWORD).await;
    let mut key = register_key(&app, "Phone", "first").await;
    let mut second = register_key(&app, "YubiKey", "secondary").await;
    app.logout().await;

    // A second-factor key does not sign in on its own.
    let reply = sign_in_with(&app, |o| second.assert(o)).await;
    assert_eq!(
        reply.field_errors("credential"),
        vec!["Passkey not registered for this use (first or secondary)"]
    );
    // An unknown key, a garbled answer, another user handle.
    let mut stranger = SoftKey::new("http://localhost");
    let reply = sign_in_with(&app, |o| stranger.assert(o)).await;
    assert_eq!(
        reply.field_errors("credential"),
        vec!["Unregistered passkey."]
    );
    let (_, state, _) = begin(&app, json!({})).await;
    let reply = app
        .post_json(
            &format!("/wan-signin/{state}"),
            json!({ "credential": { "id": 1 } }),
        )
        .await;
    assert_eq!(
        reply.field_errors("credential"),
        vec!["Input not appropriate for requested API"]
    );
    let handle = key.user_handle.replace(vec![7; 32]);
    let reply = sign_in_with(&app, |o| key.assert(o)).await;
    assert_eq!(
        reply.field_errors("credential"),
        vec!["Credential user handle didn't match"]
    );
    key.user_handle = handle;

    // A counter that goes back is a cloned key: refused and audited.
    key.counter = 10;
    let reply = sign_in_with(&app, |o| key.assert_as_is(o)).await;
    assert_eq!(reply.status, Status::Ok, "{}", reply.body);
    app.logout().await;
    key.counter = 4;
    let reply = sign_in_with(&app, |o| key.assert_as_is(o)).await;
    let said = reply.field_errors("credential");
    assert!(said[0].starts_with("Could not verify passkey"), "{said:?}");
    assert!(app
        .events(&email)
        .await
        .iter()
        .any(|e| e == "passkey_counter_regression"));
    assert_eq!(app.me().await.status, Status::Unauthorized);

    // A wrong origin does not verify.
    key.origin = "http://evil.example".into();
    let reply = sign_in_with(&app, |o| key.assert(o)).await;
    assert!(reply.field_errors("credential")[0].starts_with("Could not verify passkey"));
}

#[rocket::async_test]
async fn failed_assertions_count_toward_the_sign_in_limits() {
    let app = spawn_app_with(|f| {
        f.merge(("security.webauthn.enabled", true))
            .merge(("security.webauthn.rp_name", "Example"))
            .merge(("security.rate_limits.login_per_email_and_ip", 2))
    })
    .await;
    let email = app.existing_user().await;
    app.login(&email, PASSWORD).await;
    let mut key = register_key(&app, "Phone", "first").await;
    app.logout().await;
    key.origin = "http://evil.example".into();
    let mut last = Status::Ok;
    for _ in 0..4 {
        last = sign_in_with(&app, |o| key.assert(o)).await.status;
    }
    assert_eq!(last, Status::TooManyRequests);
}

#[rocket::async_test]
async fn a_second_factor_key_completes_only_its_own_accounts_pending_sign_in() {
    let app = app_with(true).await;
    let other = app.existing_user().await;
    app.login(&other, PASSWORD).await;
    let mut others_key = register_key(&app, "Theirs", "secondary").await;
    app.logout().await;
    let email = crate::recovery_codes::user_with_authenticator(&app).await;
    let mut key = register_key(&app, "YubiKey", "secondary").await;
    let mut passkey = register_key(&app, "Laptop", "first").await;
    app.logout().await;

    let pending = app.login(&email, PASSWORD).await;
    assert_eq!(response(&pending)["tf_required"], true);
    let (options, state, r) = begin(&app, json!({ "identity": other })).await;
    assert_eq!(r["is_secondary"], true);
    assert_eq!(options["userVerification"], "discouraged");
    let allowed = options["allowCredentials"].as_array().unwrap();
    assert_eq!(allowed.len(), 1, "the pending account's secondary key only");
    assert_eq!(unb64(allowed[0]["id"].as_str().unwrap()), key.credential_id);

    // Another account's key: refused, and the pending sign-in goes on.
    let reply = answer(
        &app,
        &format!("/wan-signin/{state}"),
        others_key.assert(&options),
        false,
    )
    .await;
    assert_eq!(
        reply.field_errors(""),
        vec!["Credential user handle didn't match"]
    );
    assert_eq!(app.me().await.status, Status::Unauthorized);
    // Its own first key is the wrong usage here.
    let reply = sign_in_with(&app, |o| passkey.assert(o)).await;
    assert_eq!(
        reply.field_errors("credential"),
        vec!["Passkey not registered for this use (first or secondary)"]
    );
    let done = sign_in_with(&app, |o| key.assert(o)).await;
    assert_eq!(done.status, Status::Ok, "{}", done.body);
    assert_eq!(response(&done)["user"]["email"], email.as_str());
    assert_eq!(app.me().await.json()["email"], email.as_str());

    // A passkey without user verification is one factor: the pending step.
    app.logout().await;
    passkey.verified = false;
    let reply = sign_in_with(&app, |o| passkey.assert(o)).await;
    assert_eq!(response(&reply)["tf_required"], true, "{}", reply.body);
    assert_eq!(app.me().await.status, Status::Unauthorized);
    // With it, the passkey is both factors.
    app.logout().await;
    passkey.verified = true;
    let reply = sign_in_with(&app, |o| passkey.assert(o)).await;
    assert_eq!(response(&reply)["tf_required"], false, "{}", reply.body);
    assert_eq!(app.me().await.status, Status::Ok);
}

#[rocket::async_test]
async fn wan_verify_refreshes_with_the_current_accounts_key_only() {
    let app = spawn_app_with(|f| {
        f.merge(("security.webauthn.enabled", true))
            .merge(("security.webauthn.rp_name", "Example"))
            .merge(("security.freshness", "1s"))
            .merge(("security.freshness_grace", "0s"))
    })
    .await;
    let victim = app.existing_user().await;
    app.login(&victim, PASSWORD).await;
    let mut victims_key = register_key(&app, "Victim", "first").await;
    app.logout().await;
    let email = app.existing_user().await;
    app.login(&email, PASSWORD).await;
    let mut key = register_key(&app, "Mine", "secondary").await;
    std::thread::sleep(std::time::Duration::from_millis(1100));
    assert_eq!(
        app.get_json("/api/sensitive").await.status,
        Status::Unauthorized
    );

    let started = app.post_json("/wan-verify", json!({})).await;
    assert_eq!(started.status, Status::Ok, "{}", started.body);
    let r = response(&started);
    let options = r["credential_options"].clone();
    let state = r["wan_state"].as_str().unwrap();
    assert_eq!(options["userVerification"], "discouraged");
    assert_eq!(options["allowCredentials"].as_array().unwrap().len(), 1);
    // Another account's key (GHSA-f66q-9rf6-8795): refused, still not fresh.
    let reply = answer(
        &app,
        &format!("/wan-verify/{state}"),
        victims_key.assert(&options),
        false,
    )
    .await;
    assert_eq!(
        reply.field_errors(""),
        vec!["Credential user handle didn't match"]
    );
    assert_eq!(
        app.get_json("/api/sensitive").await.status,
        Status::Unauthorized
    );
    assert_eq!(app.me().await.status, Status::Ok, "still signed in");

    let started = app.post_json("/wan-verify", json!({})).await;
    let r = response(&started);
    let options = r["credential_options"].clone();
    let state = r["wan_state"].as_str().unwrap();
    let done = answer(
        &app,
        &format!("/wan-verify/{state}"),
        key.assert(&options),
        false,
    )
    .await;
    assert_eq!(done.status, Status::Ok, "{}", done.body);
    assert!(response(&done)["user"]["authentication_token"].is_string());
    assert_eq!(app.get_json("/api/sensitive").await.status, Status::Ok);
}

#[rocket::async_test]
async fn a_second_factor_key_turns_two_factor_on_even_with_two_factor_off() {
    let app = app_with(false).await;
    let email = app.existing_user().await;
    app.login(&email, PASSWORD).await;
    let mut key = register_key(&app, "YubiKey", "secondary").await;
    app.logout().await;

    let pending = app.login(&email, PASSWORD).await;
    assert_eq!(pending.status, Status::Ok, "{}", pending.body);
    let r = response(&pending);
    assert_eq!(r["tf_required"], true);
    assert_eq!(r["tf_state"], "ready");
    assert_eq!(r["tf_method"], "webauthn");
    assert_eq!(r["tf_signin_url"], "/wan-signin");
    assert!(r.get("user").is_none());
    assert_eq!(app.me().await.status, Status::Unauthorized);
    let browser = app
        .post_form("/login", &[("email", &email), ("password", PASSWORD)])
        .await;
    assert_eq!(browser.location(), Some("/wan-signin"));

    let (options, state, r) = begin(&app, json!({})).await;
    assert_eq!(r["is_secondary"], true);
    let done = answer(
        &app,
        &format!("/wan-signin/{state}"),
        key.assert(&options),
        false,
    )
    .await;
    assert_eq!(done.status, Status::Ok, "{}", done.body);
    assert_eq!(app.me().await.json()["email"], email.as_str());

    // Without the key, the password is enough again.
    app.post_json("/wan-delete", json!({ "name": "YubiKey" }))
        .await;
    app.logout().await;
    let plain = app.login(&email, PASSWORD).await;
    assert!(response(&plain)["user"].is_object(), "{}", plain.body);
}

#[rocket::async_test]
async fn with_a_code_method_and_a_key_either_completes_the_pending_sign_in() {
    let app = app_with(true).await;
    let email = crate::recovery_codes::user_with_authenticator(&app).await;
    let mut key = register_key(&app, "YubiKey", "secondary").await;
    app.logout().await;
    let pending = app.login(&email, PASSWORD).await;
    let r = response(&pending);
    assert_eq!(r["tf_method"], "authenticator");
    assert_eq!(r["tf_signin_url"], "/wan-signin");
    let done = sign_in_with(&app, |o| key.assert(o)).await;
    assert_eq!(done.status, Status::Ok, "{}", done.body);
    assert_eq!(app.me().await.status, Status::Ok);
}
