//! OAuth and OpenID Connect sign-in (API-NEXT → OAuth and OpenID Connect)
//! against a real provider on loopback: which account an identity stands
//! for, auto-registration, verified emails only, states bound to the
//! browser and used once, two-factor after the provider.

use crate::helpers::*;
use crate::oauth_support::*;
use rocket::http::Status;
use rocket::serde::json::json;

const START: &str = "/login/oauthstart/mock";

#[rocket::async_test]
async fn the_start_redirects_with_state_nonce_and_pkce() {
    let app = spawn_app_with(with_mock).await;
    let url = start(&app, START).await;
    let issuer = &provider().issuer;
    assert!(
        url.starts_with(&format!("{issuer}/oauth2/authorize?")),
        "{url}"
    );
    let query: std::collections::HashMap<String, String> = url::Url::parse(&url)
        .unwrap()
        .query_pairs()
        .into_owned()
        .collect();
    assert_eq!(query["response_type"], "code");
    assert_eq!(query["client_id"], "starter");
    assert_eq!(
        query["redirect_uri"],
        "http://localhost/login/oauthresponse/mock"
    );
    assert_eq!(query["scope"], "openid email profile");
    assert_eq!(query["code_challenge_method"], "S256");
    assert_eq!(query["code_challenge"].len(), 43);
    assert!(query["state"].len() >= 22 && query["nonce"].len() >= 22);
    let cookie = app
        .cookie("oauth_flow")
        .expect("the flow is bound to this browser");
    assert_eq!(cookie.http_only(), Some(true));

    // CSRF, anonymous only, known providers only.
    let no_csrf = app.post_form_raw(START, &[]).await;
    assert_eq!(no_csrf.status, Status::BadRequest);
    assert_eq!(
        app.post_form("/login/oauthstart/nobody", &[]).await.status,
        Status::NotFound
    );
}

#[rocket::async_test]
async fn an_unknown_identity_is_refused_unless_auto_register_creates_it() {
    let app = spawn_app_with(with_mock).await;
    let email = unique_email();
    let reply = round(&app, START, &subject(), verified(&email)).await;
    let said = refusal_on_login(&app, &reply).await;
    assert!(
        said.contains(&format!("Identity {email} not registered")),
        "{said}"
    );
    assert!(!app.user_exists(&email).await);
    assert_eq!(app.me().await.status, Status::Unauthorized);

    let app = spawn_app_with(|f| with_mock(f).merge(("security.oauth.auto_register", true))).await;
    let sub = subject();
    let reply = round(&app, START, &sub, verified(&email)).await;
    assert_eq!(reply.status, Status::Found, "{}", reply.body);
    assert_eq!(reply.location(), Some("/"));
    assert!(reply.cookie("remember_token").is_none(), "never remembered");
    assert_eq!(app.me().await.json()["email"], email.as_str());
    let user = app.user(&email).await;
    assert!(user.confirmed_at.is_some());
    assert_eq!(user.password_hash, "!", "no password until one is set");
    assert_eq!(user.login_count, 1);
    let events = app.events(&email).await;
    for kind in ["registered", "oauth_linked", "login_succeeded"] {
        assert!(events.iter().any(|e| e == kind), "{kind} in {events:?}");
    }
    let welcome = app.last_mail_to(&email);
    assert!(!welcome.text.contains("/confirm/"), "{}", welcome.text);

    // The identity, not the email, finds the account next time.
    app.logout().await;
    let reply = round(&app, START, &sub, verified("renamed@example.com")).await;
    assert_eq!(reply.location(), Some("/"), "{}", reply.body);
    assert_eq!(app.me().await.json()["email"], email.as_str());
}

#[rocket::async_test]
async fn an_unverified_email_never_signs_in_links_or_creates() {
    let app = spawn_app_with(|f| {
        with_mock(f)
            .merge(("security.oauth.auto_register", true))
            .merge(("security.oauth.link_by_verified_email", true))
    })
    .await;
    let existing = app.existing_user().await;
    for claims in [
        json!({ "email": existing, "email_verified": false }),
        json!({ "email": existing }),
        json!({ "email": unique_email(), "email_verified": "false" }),
    ] {
        let reply = round(&app, START, &subject(), claims.clone()).await;
        let said = refusal_on_login(&app, &reply).await;
        assert!(
            said.contains("has not verified the email address"),
            "{claims}: {said}"
        );
        assert_eq!(app.me().await.status, Status::Unauthorized);
    }
    // The string "true" some providers send counts as verified.
    let email = unique_email();
    let reply = round(
        &app,
        START,
        &subject(),
        json!({ "email": email, "email_verified": "true" }),
    )
    .await;
    assert_eq!(reply.location(), Some("/"), "{}", reply.body);
}

#[rocket::async_test]
async fn an_existing_account_is_linked_only_by_a_verified_email_when_allowed() {
    let app = spawn_app_with(with_mock).await;
    let email = app.existing_user().await;
    let sub = subject();
    let reply = round(&app, START, &sub, verified(&email)).await;
    let said = refusal_on_login(&app, &reply).await;
    assert!(
        said.contains(&format!("An account with {email} exists")),
        "{said}"
    );

    let app =
        spawn_app_with(|f| with_mock(f).merge(("security.oauth.link_by_verified_email", true)))
            .await;
    let email = app.existing_user().await;
    let reply = round(&app, START, &sub, verified(&email)).await;
    assert_eq!(reply.location(), Some("/"), "{}", reply.body);
    assert_eq!(app.me().await.json()["email"], email.as_str());
    assert!(app.events(&email).await.iter().any(|e| e == "oauth_linked"));
}

#[rocket::async_test]
async fn forged_replayed_and_foreign_callbacks_sign_nobody_in() {
    let app = spawn_app_with(|f| with_mock(f).merge(("security.oauth.auto_register", true))).await;
    let sub = subject();
    set_identity(&sub, verified(&unique_email())).await;

    // A state we never issued.
    let forged = app
        .get("/login/oauthresponse/mock?code=abc&state=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
        .await;
    let said = refusal_on_login(&app, &forged).await;
    assert!(said.contains("invalid_state"), "{said}");

    // Another browser presenting this browser's callback.
    let authorize = start(&app, START).await;
    let callback = consent(&authorize, Some(&sub)).await;
    let other = app.second_browser().await;
    let stolen = other.get(callback.clone()).dispatch().await;
    assert_eq!(stolen.status(), Status::Found);
    assert_eq!(stolen.headers().get_one("Location"), Some("/login"));
    // That used the state up: the rightful browser cannot use it either.
    let late = app.get(&callback).await;
    assert!(refusal_on_login(&app, &late)
        .await
        .contains("invalid_state"));

    // A replayed callback (state and code used once).
    let authorize = start(&app, START).await;
    let callback = consent(&authorize, Some(&sub)).await;
    assert_eq!(app.get(&callback).await.location(), Some("/"));
    app.logout().await;
    let replay = app.get(&callback).await;
    assert!(refusal_on_login(&app, &replay)
        .await
        .contains("invalid_state"));
    assert_eq!(app.me().await.status, Status::Unauthorized);

    // Denied consent ends on the sign-in page with the provider's error.
    let authorize = start(&app, START).await;
    let denied = app.get(&consent(&authorize, None).await).await;
    let said = refusal_on_login(&app, &denied).await;
    assert!(said.contains("access_denied"), "{said}");
}

#[rocket::async_test]
async fn two_factor_still_applies_after_the_provider() {
    let app = spawn_app_with(|f| {
        with_mock(f)
            .merge(("security.two_factor", true))
            .merge(("security.totp_issuer", "Example"))
            .merge(("security.oauth.link_by_verified_email", true))
    })
    .await;
    let email = crate::recovery_codes::user_with_authenticator(&app).await;
    app.logout().await;
    let reply = round(&app, START, &subject(), verified(&email)).await;
    assert_eq!(reply.location(), Some("/tf-validate"), "{}", reply.body);
    assert_eq!(app.me().await.status, Status::Unauthorized);
    assert_eq!(app.get("/tf-validate").await.status, Status::Ok);
}
