//! Passkeys (API-NEXT → Passkeys (WebAuthn)), registering and removing
//! keys: the creation options, the browser's answer verified by a software
//! authenticator's signature, single-use server-side states, names, and
//! every refusal in the envelope.

use crate::helpers::*;
use crate::webauthn_support::{unb64, SoftKey};
use rocket::http::Status;
use rocket::serde::json::{json, Value};

const ORIGIN: &str = "http://localhost";

pub async fn passkey_app() -> TestApp {
    spawn_app_with(|f| {
        f.merge(("security.webauthn.enabled", true))
            .merge(("security.webauthn.rp_name", "Example"))
    })
    .await
}

fn response(reply: &Reply) -> Value {
    reply.json()["response"].clone()
}

/// Starts a registration of `name` for the signed-in user.
pub async fn start(app: &TestApp, name: &str, usage: &str) -> (Value, String) {
    let reply = app
        .post_json("/wan-register", json!({ "name": name, "usage": usage }))
        .await;
    assert_eq!(reply.status, Status::Ok, "{}", reply.body);
    let r = response(&reply);
    (
        r["credential_options"].clone(),
        r["wan_state"].as_str().unwrap().to_owned(),
    )
}

/// Registers a new software key as `name` for the signed-in user.
pub async fn register_key(app: &TestApp, name: &str, usage: &str) -> SoftKey {
    let (options, state) = start(app, name, usage).await;
    let mut key = SoftKey::new(ORIGIN);
    let credential = key.register(&options);
    let done = app
        .post_json(
            &format!("/wan-register/{state}"),
            json!({ "credential": credential }),
        )
        .await;
    assert_eq!(done.status, Status::Ok, "{}", done.body);
    key
}

#[rocket::async_test]
async fn the_creation_options_are_the_contracts() {
    let app = passkey_app().await;
    let email = app.existing_user().await;
    assert_eq!(
        app.get_json("/wan-register").await.status,
        Status::Unauthorized
    );
    app.login(&email, PASSWORD).await;
    let listed = app.get_json("/wan-register").await;
    assert_eq!(listed.status, Status::Ok);
    assert_eq!(response(&listed)["registered_credentials"], json!([]));

    let (options, state) = start(&app, "My phone", "first").await;
    assert!(state.len() >= 22, "at least 128 random bits: {state}");
    assert_eq!(
        options["rp"],
        json!({ "id": "localhost", "name": "Example" })
    );
    let handle = unb64(options["user"]["id"].as_str().unwrap());
    assert_eq!(handle.len(), 32);
    assert_eq!(options["user"]["name"], email.as_str());
    assert_eq!(options["user"]["displayName"], email.as_str());
    assert_eq!(unb64(options["challenge"].as_str().unwrap()).len(), 32);
    assert_eq!(
        options["pubKeyCredParams"][0],
        json!({ "type": "public-key", "alg": -7 })
    );
    assert!(options["pubKeyCredParams"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["alg"] == -257));
    assert_eq!(options["timeout"], 60000);
    assert_eq!(options["excludeCredentials"], json!([]));
    let selection = &options["authenticatorSelection"];
    assert_eq!(selection["residentKey"], "preferred");
    assert_eq!(selection["requireResidentKey"], false);
    assert_eq!(selection["userVerification"], "preferred");
    assert!(selection
        .get("authenticatorAttachment")
        .is_none_or(Value::is_null));
    assert_eq!(options["attestation"], "none");
    assert_eq!(options["extensions"]["credProps"], true);

    // A second-factor key asks for no user verification; the user handle
    // is the account's, every time.
    let (secondary, _) = start(&app, "YubiKey", "secondary").await;
    assert_eq!(
        secondary["authenticatorSelection"]["userVerification"],
        "discouraged"
    );
    assert_eq!(unb64(secondary["user"]["id"].as_str().unwrap()), handle);
    assert_ne!(secondary["challenge"], options["challenge"]);
    let (absent, _) = {
        let reply = app
            .post_json("/wan-register", json!({ "name": "Default" }))
            .await;
        let r = response(&reply);
        (r["credential_options"].clone(), ())
    };
    assert_eq!(
        absent["authenticatorSelection"]["userVerification"],
        "discouraged"
    );
}

#[rocket::async_test]
async fn a_registered_key_is_listed_audited_and_its_state_is_used_up() {
    let app = passkey_app().await;
    let email = app.existing_user().await;
    app.login(&email, PASSWORD).await;
    let (options, state) = start(&app, "Work laptop", "first").await;
    let mut key = SoftKey::new(ORIGIN);
    let credential = key.register(&options);
    let done = app
        .post_json(
            &format!("/wan-register/{state}"),
            json!({ "credential": credential }),
        )
        .await;
    assert_eq!(done.status, Status::Ok, "{}", done.body);
    assert!(response(&done)["csrf_token"].is_string());

    let keys = response(&app.get_json("/wan-register").await)["registered_credentials"].clone();
    let listed = &keys[0];
    assert_eq!(listed["name"], "Work laptop");
    assert_eq!(
        unb64(listed["credential_id"].as_str().unwrap()),
        key.credential_id
    );
    assert_eq!(listed["transports"], json!(["internal", "hybrid"]));
    assert_eq!(listed["usage"], "first");
    assert_eq!(listed["discoverable"], true);
    assert_eq!(listed["backup_state"], false);
    assert_eq!(listed["device_type"], "single_device");
    assert!(listed["created_at"].as_str().unwrap().ends_with('Z'));
    assert_eq!(listed["lastuse"], listed["created_at"]);

    // The state served once.
    let again = app
        .post_json(
            &format!("/wan-register/{state}"),
            json!({ "credential": credential }),
        )
        .await;
    assert_eq!(again.status, Status::BadRequest);
    assert_eq!(
        again.field_errors(""),
        vec!["Input not appropriate for requested API"]
    );

    // The same authenticator again: excluded in the options, refused if sent.
    let (options, state) = start(&app, "Again", "first").await;
    assert_eq!(
        unb64(options["excludeCredentials"][0]["id"].as_str().unwrap()),
        key.credential_id
    );
    assert_eq!(
        options["excludeCredentials"][0]["transports"],
        json!(["internal", "hybrid"])
    );
    let twice = app
        .post_json(
            &format!("/wan-register/{state}"),
            json!({ "credential": key.register(&options) }),
        )
        .await;
    assert_eq!(
        twice.field_errors("credential"),
        vec!["Passkey already registered."]
    );

    let events = app.events(&email).await;
    assert!(
        events.iter().any(|e| e == "passkey_registered"),
        "{events:?}"
    );
}

#[rocket::async_test]
async fn bad_names_usages_credentials_and_states_are_refused_in_the_envelope() {
    let app = passkey_app().await;
    let email = app.existing_user().await;
    app.login(&email, PASSWORD).await;
    register_key(&app, "Phone", "first").await;
    for (body, field, said) in [
        (json!({}), "name", "Nickname for new passkey is required."),
        (
            json!({ "name": "  " }),
            "name",
            "Nickname for new passkey is required.",
        ),
        (
            json!({ "name": "<b>x</b>" }),
            "name",
            "Value entered is not valid for the field",
        ),
        (
            json!({ "name": "key!" }),
            "name",
            "Passkey nicknames can contain only letters, numbers, and limited punctuation.",
        ),
        (
            json!({ "name": "Phone" }),
            "name",
            "Phone is already associated with a passkey.",
        ),
        (
            json!({ "name": "k".repeat(65) }),
            "name",
            "Must be at most 64 characters.",
        ),
        (json!({ "name": 5 }), "name", "Not a valid string."),
        (
            json!({ "name": "Key", "usage": "third" }),
            "usage",
            "Not a valid choice.",
        ),
        (
            json!({ "name": "Key", "usage": 1 }),
            "usage",
            "Not a valid choice.",
        ),
    ] {
        let reply = app.post_json("/wan-register", body.clone()).await;
        assert_eq!(reply.status, Status::BadRequest, "{body}");
        assert_eq!(reply.field_errors(field), vec![said], "{body}");
    }

    let (options, state) = start(&app, "Other", "first").await;
    let path = format!("/wan-register/{state}");
    for credential in [
        json!("not json"),
        json!({ "id": "x" }),
        json!(7),
        json!("{\"id\":1}"),
    ] {
        let (_, state) = start(&app, "Other", "first").await;
        let reply = app
            .post_json(
                &format!("/wan-register/{state}"),
                json!({ "credential": credential }),
            )
            .await;
        assert_eq!(reply.status, Status::BadRequest, "{credential}");
        assert_eq!(
            reply.field_errors("credential"),
            vec!["Input not appropriate for requested API"],
            "{credential}"
        );
    }
    // A wrong origin does not verify; nothing is stored.
    let mut elsewhere = SoftKey::new("http://evil.example");
    let reply = app
        .post_json(&path, json!({ "credential": elsewhere.register(&options) }))
        .await;
    let said = reply.field_errors("credential");
    assert!(
        said[0].starts_with("Could not verify passkey: "),
        "{said:?}"
    );
    let keys = response(&app.get_json("/wan-register").await)["registered_credentials"].clone();
    assert_eq!(keys.as_array().unwrap().len(), 1);

    // Garbage, oversized and unknown states.
    for state in ["x", &"A".repeat(43), &"%".repeat(300)] {
        let reply = app
            .post_json(
                &format!("/wan-register/{state}"),
                json!({ "credential": "{}" }),
            )
            .await;
        assert_eq!(reply.status, Status::BadRequest, "{state}");
    }

    // Another account's state serves nobody else.
    let (options, state) = start(&app, "Mine", "first").await;
    app.logout().await;
    let other = app.existing_user().await;
    app.login(&other, PASSWORD).await;
    let mut key = SoftKey::new(ORIGIN);
    let reply = app
        .post_json(
            &format!("/wan-register/{state}"),
            json!({ "credential": key.register(&options) }),
        )
        .await;
    assert_eq!(
        reply.field_errors(""),
        vec!["Input not appropriate for requested API"]
    );
}

#[rocket::async_test]
async fn a_key_is_deleted_by_name_and_registration_needs_a_fresh_sign_in() {
    let app = passkey_app().await;
    let email = app.existing_user().await;
    app.login(&email, PASSWORD).await;
    register_key(&app, "Phone", "first").await;
    let missing = app
        .post_json("/wan-delete", json!({ "name": "Tablet" }))
        .await;
    assert_eq!(
        missing.field_errors("name"),
        vec!["Tablet not registered with current user."]
    );
    let none = app.post_json("/wan-delete", json!({})).await;
    assert_eq!(
        none.field_errors("name"),
        vec!["Nickname for new passkey is required."]
    );
    let gone = app
        .post_json("/wan-delete", json!({ "name": " Phone " }))
        .await;
    assert_eq!(gone.status, Status::Ok, "{}", gone.body);
    assert!(app
        .events(&email)
        .await
        .iter()
        .any(|e| e == "passkey_deleted"));
    let keys = response(&app.get_json("/wan-register").await)["registered_credentials"].clone();
    assert_eq!(keys, json!([]));

    // Not fresh: the not-fresh 401, and nothing changes.
    let stale = spawn_app_with(|f| {
        f.merge(("security.webauthn.enabled", true))
            .merge(("security.webauthn.rp_name", "Example"))
            .merge(("security.freshness", "1s"))
            .merge(("security.freshness_grace", "0s"))
    })
    .await;
    let email = stale.existing_user().await;
    stale.login(&email, PASSWORD).await;
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let reply = stale
        .post_json("/wan-register", json!({ "name": "Late" }))
        .await;
    assert_eq!(reply.status, Status::Unauthorized);
    assert_eq!(reply.json()["response"]["reauth_required"], true);
}

#[rocket::async_test]
async fn in_a_browser_the_passkeys_page_lists_adds_and_removes() {
    let app = passkey_app().await;
    let email = app.existing_user().await;
    app.login(&email, PASSWORD).await;
    let page = app.get("/wan-register").await;
    assert_eq!(page.status, Status::Ok);
    assert!(
        page.body.contains("<title>Passkeys · Example</title>"),
        "{}",
        page.body
    );
    assert!(page.body.contains("You have no passkeys yet."));
    let started = app
        .post_form("/wan-register", &[("name", "Laptop"), ("usage", "first")])
        .await;
    assert_eq!(started.status, Status::Ok);
    assert!(
        started.body.contains("data-wan=\"create\""),
        "{}",
        started.body
    );
    assert!(
        started.body.contains("data-options=\"{&quot;"),
        "options for the script"
    );
    let action = started
        .body
        .split("action=\"/wan-register/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    let refused = app
        .post_form(
            &format!("/wan-register/{action}"),
            &[("credential", "garbage")],
        )
        .await;
    assert_eq!(refused.location(), Some("/wan-register"));
    assert!(app
        .get("/wan-register")
        .await
        .body
        .contains("Input not appropriate"));

    register_key(&app, "Laptop", "first").await;
    let page = app.get("/wan-register").await;
    assert!(page.body.contains("Laptop"));
    let removed = app.post_form("/wan-delete", &[("name", "Laptop")]).await;
    assert_eq!(removed.location(), Some("/wan-register"));
    assert!(app
        .get("/wan-register")
        .await
        .body
        .contains("Successfully deleted the passkey with name: Laptop"));
}

#[rocket::async_test]
async fn the_sign_in_page_offers_passkeys_in_autofill_and_a_button() {
    let app = passkey_app().await;
    let page = app.get("/login").await.body;
    assert!(
        page.contains("autocomplete=\"username webauthn\""),
        "{page}"
    );
    assert!(page.contains("Sign in with a passkey"));
    assert!(page.contains("data-wan-autofill"));
    assert!(page.contains("/static/webauthn.js"));
    let plain = spawn_app().await.get("/login").await.body;
    assert!(plain.contains("autocomplete=\"username\""));
    assert!(!plain.contains("Sign in with a passkey"));
    let script = app.get("/static/webauthn.js").await;
    assert_eq!(script.status, Status::Ok);
    assert!(script.body.contains("isConditionalMediationAvailable"));
}

#[rocket::async_test]
async fn with_passkeys_off_there_are_no_endpoints() {
    let app = spawn_app().await;
    let email = app.existing_user().await;
    app.login(&email, PASSWORD).await;
    for path in [
        "/wan-register",
        "/wan-delete",
        "/wan-register/abc",
        "/wan-signin",
        "/wan-verify",
    ] {
        let reply = app.post_json(path, json!({})).await;
        assert_eq!(reply.status, Status::NotFound, "{path}");
    }
}
