//! Registration through JSON and the HTML form.

use crate::helpers::*;
use app::models::TokenContext;
use rocket::http::Status;
use rocket::serde::json::json;

#[rocket::async_test]
async fn registering_by_json_signs_the_user_in_and_returns_a_token() {
    let app = spawn_app().await;
    let email = unique_email();
    let reply = app.register(&email, PASSWORD).await;

    assert_eq!(reply.status, Status::Ok, "{}", reply.body);
    let body = reply.json();
    assert_eq!(body["meta"]["code"], 200);
    assert_eq!(body["response"]["user"]["email"], email.as_str());
    assert!(body["response"]["user"]["id"].as_i64().is_some());
    assert_eq!(
        body["response"]["user"]["authentication_token"]
            .as_str()
            .map(str::len),
        Some(43)
    );
    assert!(body["response"]["csrf_token"].as_str().is_some());
    assert!(reply
        .cookie("session")
        .is_some_and(|c| c.http_only() == Some(true)));

    let me = app.me().await;
    assert_eq!(me.status, Status::Ok);
    assert_eq!(me.json()["email"], email.as_str());
    // Registering counts as the first sign-in, with no previous one.
    assert_eq!(me.json()["login_count"], 1);
    assert_eq!(me.json()["last_login_ip"], json!(null));
    assert_eq!(app.token_count(&email, TokenContext::Session).await, 1);
}

#[rocket::async_test]
async fn the_password_is_stored_as_an_argon2id_hash_only() {
    let app = spawn_app().await;
    let email = unique_email();
    app.register_ok(&email).await;
    let user = app.user(&email).await;
    assert!(
        user.password_hash
            .starts_with("$argon2id$v=19$m=64,t=1,p=1$"),
        "{}",
        user.password_hash
    );
    assert!(!user.password_hash.contains(PASSWORD));
    assert!(user.active);
    assert!(user.confirmed_at.is_none());
}

#[rocket::async_test]
async fn registering_by_form_redirects_and_signs_in() {
    let app = spawn_app().await;
    let email = unique_email();
    let page = app.get("/register").await;
    assert_eq!(page.status, Status::Ok);
    assert!(page.body.contains("name=\"csrf_token\""));
    assert!(page.body.contains("autocomplete=\"new-password\""));

    let reply = app.register_form(&email).await;
    reply.assert_redirect_to("/");
    assert_eq!(app.me().await.json()["email"], email.as_str());
    let home = app.get("/").await;
    assert!(
        home.body.contains(&format!("Hello, {email}")),
        "{}",
        home.body
    );
}

#[rocket::async_test]
async fn every_invalid_field_is_reported() {
    let app = spawn_app().await;
    let cases = [
        (
            json!({ "password": PASSWORD }),
            "email",
            "Email not provided",
        ),
        (
            json!({ "email": "not-an-email", "password": PASSWORD }),
            "email",
            "Invalid email address",
        ),
        (
            json!({ "email": unique_email(), "password": "short" }),
            "password",
            "Password must be at least 8 characters",
        ),
        (
            json!({ "email": unique_email() }),
            "password",
            "Password not provided",
        ),
        (
            json!({ "email": unique_email(), "password": PASSWORD, "password_confirm": "something else" }),
            "password_confirm",
            "Passwords do not match",
        ),
        (
            json!({ "email": 42, "password": PASSWORD }),
            "email",
            "Not a valid string.",
        ),
        (
            json!({ "email": unique_email(), "password": ["a"] }),
            "password",
            "Not a valid string.",
        ),
    ];
    for (body, field, message) in cases {
        let reply = app.post_json("/register", body.clone()).await;
        assert_eq!(reply.status, Status::BadRequest, "{body}: {}", reply.body);
        assert_eq!(
            reply.field_errors(field),
            vec![message.to_owned()],
            "{body}"
        );
        assert!(reply.errors().contains(&message.to_owned()));
        assert_eq!(reply.json()["meta"]["code"], 400);
    }
    assert_eq!(
        app.me().await.status,
        Status::Unauthorized,
        "nobody was signed in"
    );
}

#[rocket::async_test]
async fn the_form_requires_the_repeated_password_and_shows_errors_on_the_page() {
    let app = spawn_app().await;
    let email = unique_email();
    let reply = app
        .post_form("/register", &[("email", &email), ("password", "short")])
        .await;
    assert_eq!(reply.status, Status::Ok);
    assert!(
        reply
            .body
            .contains("Password must be at least 8 characters"),
        "{}",
        reply.body
    );
    assert!(reply.body.contains("Password not provided"));
    assert!(
        reply.body.contains(&format!("value=\"{email}\"")),
        "the email is kept"
    );
    assert!(reply.body.contains("aria-invalid=\"true\""));
}

#[rocket::async_test]
async fn a_taken_email_in_another_case_looks_like_success_and_changes_nothing() {
    let app = spawn_app().await;
    let email = app.existing_user().await;
    let before = app.user(&email).await;

    let reply = app
        .register(&email.to_uppercase(), "another password")
        .await;
    assert_eq!(reply.status, Status::Ok, "{}", reply.body);
    assert!(reply.json()["response"]["csrf_token"].is_string());
    assert!(reply.json()["response"].get("user").is_none());
    assert_eq!(
        app.me().await.status,
        Status::Unauthorized,
        "nobody is signed in"
    );
    let after = app.user(&email).await;
    assert_eq!(
        after.password_hash, before.password_hash,
        "the account is untouched"
    );
    assert_eq!(after.id, before.id);
    assert_eq!(app.login(&email, PASSWORD).await.status, Status::Ok);
    // The owner of the address is told, with the way back in.
    let mail = app.last_mail_to(&email);
    assert_eq!(
        mail.subject, "You already have an account",
        "a subject of its own"
    );
    assert!(mail.text.contains("already has one"), "{}", mail.text);
    assert_eq!(link_in(&mail, "/reset"), "/reset");
}

#[rocket::async_test]
async fn registering_sends_a_welcome_mail() {
    let app = spawn_app().await;
    let email = unique_email();
    app.register_ok(&email).await;
    let mail = app.last_mail_to(&email);
    assert_eq!(mail.subject, "Welcome");
    assert!(mail.text.contains(&format!("Welcome {email}!")));
    assert!(mail.html.contains("<p>Welcome"));
    assert!(
        !mail.text.contains("confirm"),
        "no link without confirmable"
    );
}

#[rocket::async_test]
async fn without_generic_responses_a_taken_email_is_named() {
    let app = spawn_app_with(|f| f.merge(("security.generic_responses", false))).await;
    let email = app.existing_user().await;
    let reply = app.register(&email.to_uppercase(), PASSWORD).await;
    assert_eq!(reply.status, Status::BadRequest);
    assert_eq!(
        reply.field_errors("email"),
        vec![format!(
            "{} is already associated with an account.",
            email.to_uppercase().replace("EXAMPLE.COM", "example.com")
        )]
    );
}

#[rocket::async_test]
async fn registration_can_be_turned_off() {
    let app = spawn_app_with(|f| f.merge(("security.registerable", false))).await;
    let reply = app.register(&unique_email(), PASSWORD).await;
    assert_eq!(reply.status, Status::NotFound);
    assert_eq!(reply.json()["meta"]["code"], 404);
}
