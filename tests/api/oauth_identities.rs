//! OAuth for a signed-in account (API-NEXT → OAuth and OpenID Connect):
//! connecting and disconnecting providers, and re-authenticating through
//! one — each only for the account's own identity.

use crate::helpers::*;
use crate::oauth_support::*;
use rocket::http::Status;
use rocket::serde::json::{json, Value};

const LINK: &str = "/login/oauth-link-start/mock";
const VERIFY: &str = "/login/oauth-verify-start/mock";

async fn identities(app: &TestApp) -> Value {
    let listed = app.get_json("/oauth-identities").await;
    assert_eq!(listed.status, Status::Ok, "{}", listed.body);
    listed.json()["response"].clone()
}

async fn flash(app: &TestApp, page: &str) -> String {
    let body = app.get(page).await.body;
    match body.find("class=\"flash") {
        Some(at) => body[at..].chars().take(300).collect(),
        None => String::new(),
    }
}

#[rocket::async_test]
async fn a_provider_is_connected_listed_and_disconnected() {
    let app = spawn_app_with(with_mock).await;
    let email = app.existing_user().await;
    app.login(&email, PASSWORD).await;
    let listed = identities(&app).await;
    assert_eq!(listed["providers"], json!(["mock"]));
    assert_eq!(listed["identities"], json!([]));

    // Another address at the provider is fine, once verified.
    let sub = subject();
    let elsewhere = unique_email();
    let reply = round(&app, LINK, &sub, verified(&elsewhere)).await;
    assert_eq!(reply.location(), Some("/account"), "{}", reply.body);
    assert!(flash(&app, "/account")
        .await
        .contains("Mock is now connected"));
    let listed = identities(&app).await;
    assert_eq!(listed["identities"][0]["provider"], "mock");
    assert_eq!(listed["identities"][0]["email"], elsewhere.as_str());
    assert!(listed["identities"][0]["linked_at"]
        .as_str()
        .unwrap()
        .ends_with('Z'));
    assert!(app.events(&email).await.iter().any(|e| e == "oauth_linked"));
    let page = app.get("/oauth-identities").await;
    assert!(page.body.contains("Disconnect"), "{}", page.body);

    // The identity now signs in to this account.
    app.logout().await;
    let signed = round(&app, "/login/oauthstart/mock", &sub, verified(&elsewhere)).await;
    assert_eq!(signed.location(), Some("/"), "{}", signed.body);
    assert_eq!(app.me().await.json()["email"], email.as_str());

    // A second identity of the same provider is refused.
    app.login(&email, PASSWORD).await;
    let reply = round(&app, LINK, &subject(), verified(&unique_email())).await;
    assert_eq!(reply.location(), Some("/oauth-identities"));
    assert!(flash(&app, "/oauth-identities")
        .await
        .contains("already connected"));

    // Disconnecting: unknown, then the real one.
    let unknown = app
        .post_json("/oauth-unlink", json!({ "provider": "github" }))
        .await;
    assert_eq!(
        unknown.field_errors("provider"),
        vec!["github is not connected to this account"]
    );
    let missing = app.post_json("/oauth-unlink", json!({})).await;
    assert_eq!(missing.status, Status::BadRequest);
    let done = app
        .post_json("/oauth-unlink", json!({ "provider": "mock" }))
        .await;
    assert_eq!(done.status, Status::Ok, "{}", done.body);
    assert_eq!(done.json()["response"]["identities"], json!([]));
    assert!(app
        .events(&email)
        .await
        .iter()
        .any(|e| e == "oauth_unlinked"));
    app.logout().await;
    let gone = round(&app, "/login/oauthstart/mock", &sub, verified(&elsewhere)).await;
    assert_eq!(gone.location(), Some("/login"));
}

#[rocket::async_test]
async fn another_accounts_identity_is_not_connected_and_the_last_way_in_stays() {
    let app = spawn_app_with(|f| with_mock(f).merge(("security.oauth.auto_register", true))).await;
    // An account made by the provider has no password: its identity is
    // its only way in.
    let theirs = subject();
    let owner = unique_email();
    round(&app, "/login/oauthstart/mock", &theirs, verified(&owner)).await;
    assert_eq!(app.me().await.json()["email"], owner.as_str());
    let last = app
        .post_json("/oauth-unlink", json!({ "provider": "mock" }))
        .await;
    assert_eq!(
        last.field_errors("provider"),
        vec!["Set a password or connect another way to sign in first"]
    );
    app.logout().await;

    let email = app.existing_user().await;
    app.login(&email, PASSWORD).await;
    let reply = round(&app, LINK, &theirs, verified(&owner)).await;
    assert_eq!(reply.location(), Some("/oauth-identities"));
    assert!(flash(&app, "/oauth-identities")
        .await
        .contains("This Mock account is connected to another account"));
    // An unverified email does not connect either.
    let reply = round(&app, LINK, &subject(), json!({ "email": email })).await;
    assert_eq!(reply.location(), Some("/oauth-identities"));
    assert_eq!(identities(&app).await["identities"], json!([]));
}

#[rocket::async_test]
async fn re_authentication_through_the_provider_refreshes_only_its_own_account() {
    let app = spawn_app_with(|f| {
        with_mock(f)
            .merge(("security.freshness", "1s"))
            .merge(("security.freshness_grace", "0s"))
    })
    .await;
    let email = app.existing_user().await;
    app.login(&email, PASSWORD).await;
    let sub = subject();
    round(&app, LINK, &sub, verified(&email)).await;
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let stale = app.get_json("/api/sensitive").await;
    assert_eq!(stale.status, Status::Unauthorized);
    let verify = app.get_json("/verify").await.json()["response"].clone();
    assert_eq!(verify["oauth_enabled"], true);
    assert_eq!(verify["oauth_providers"], json!(["mock"]));

    // Someone else's identity at the provider: refused, still not fresh.
    let stranger = round(&app, VERIFY, &subject(), verified(&unique_email())).await;
    assert_eq!(stranger.location(), Some("/verify"));
    assert!(flash(&app, "/verify").await.contains("not registered"));
    assert_eq!(
        app.get_json("/api/sensitive").await.status,
        Status::Unauthorized
    );
    assert_eq!(app.me().await.status, Status::Ok, "still signed in");

    let fresh = round(&app, VERIFY, &sub, verified(&email)).await;
    assert_eq!(fresh.location(), Some("/"), "{}", fresh.body);
    assert_eq!(app.get_json("/api/sensitive").await.status, Status::Ok);
    assert!(app
        .events(&email)
        .await
        .iter()
        .any(|e| e == "reauthenticated"));

    // Not signed in any more: the callback sends the browser to sign in.
    app.logout().await;
    let late = app
        .get("/login/oauth-verify-response/mock?state=x&code=y")
        .await;
    assert_eq!(late.location(), Some("/login"));
    assert_eq!(
        app.post_form(VERIFY, &[]).await.status,
        Status::Found,
        "not signed in: to the sign-in page"
    );
}
