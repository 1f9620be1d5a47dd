//! Passwordless sign-in by emailed link.

use crate::helpers::*;
use rocket::http::Status;
use rocket::serde::json::json;

async fn passwordless(
    extra: impl FnOnce(rocket::figment::Figment) -> rocket::figment::Figment,
) -> TestApp {
    spawn_app_with(|f| extra(f.merge(("security.passwordless", true)))).await
}

#[rocket::async_test]
async fn an_emailed_link_signs_in_once() {
    let app = passwordless(|f| f).await;
    let email = app.existing_user().await;
    let reply = app.post_json("/login", json!({ "email": email })).await;
    assert_eq!(reply.status, Status::Ok, "{}", reply.body);
    assert_eq!(
        app.me().await.status,
        Status::Unauthorized,
        "not before the link is used"
    );
    let mail = app.last_mail_to(&email);
    assert_eq!(mail.subject, "Login instructions");
    let link = link_in(&mail, "/login/");

    let signed_in = app.get_json(&link).await;
    assert_eq!(signed_in.status, Status::Ok, "{}", signed_in.body);
    assert_eq!(
        signed_in.json()["response"]["user"]["email"],
        email.as_str()
    );
    assert!(signed_in.json()["response"]["user"]["authentication_token"].is_string());
    let me = app.me().await;
    assert_eq!(me.json()["login_count"], 2, "tracked like any sign-in");

    app.logout().await;
    let again = app.get_json(&link).await;
    assert_eq!(again.status, Status::BadRequest);
    assert_eq!(
        again.errors(),
        vec!["This sign-in link has expired or was already used."]
    );
    assert_eq!(app.me().await.status, Status::Unauthorized);

    // Passwords still work alongside.
    assert_eq!(app.login(&email, PASSWORD).await.status, Status::Ok);
}

#[rocket::async_test]
async fn the_reply_is_the_same_for_unknown_addresses() {
    let app = passwordless(|f| f).await;
    let email = app.existing_user().await;
    let before = app.outbox().len();
    let known = app.post_json("/login", json!({ "email": email })).await;
    let unknown = app
        .post_json("/login", json!({ "email": unique_email() }))
        .await;
    assert_eq!(known.status, Status::Ok);
    assert_eq!(unknown.status, Status::Ok);
    assert_eq!(app.outbox().len(), before + 1);
    let invalid = app.post_json("/login", json!({ "email": "nope" })).await;
    assert_eq!(invalid.field_errors("email"), vec!["Invalid email address"]);
}

#[rocket::async_test]
async fn an_expired_link_is_refused_and_replaced() {
    let app = passwordless(|f| f.merge(("security.login_within", "1s"))).await;
    let email = app.existing_user().await;
    app.post_json("/login", json!({ "email": email })).await;
    let link = link_in(&app.last_mail_to(&email), "/login/");
    rocket::tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let reply = app.get_json(&link).await;
    assert_eq!(reply.status, Status::BadRequest);
    assert_eq!(
        reply.errors(),
        vec![format!(
            "You did not sign in within 1 second. We have sent a new sign-in link to {email}."
        )]
    );
    assert_eq!(app.me().await.status, Status::Unauthorized);
    assert_ne!(link_in(&app.last_mail_to(&email), "/login/"), link);
}

#[rocket::async_test]
async fn an_unconfirmed_account_gets_no_link() {
    let app = passwordless(|f| f.merge(("security.confirmable", true))).await;
    let email = unique_email();
    app.register(&email, PASSWORD).await;
    let before = app.mails_to(&email).len();
    let reply = app.post_json("/login", json!({ "email": email })).await;
    assert_eq!(reply.status, Status::Ok, "the same reply");
    assert_eq!(app.mails_to(&email).len(), before, "but no link");
}

#[rocket::async_test]
async fn the_login_page_offers_the_link_form() {
    let app = passwordless(|f| f).await;
    let page = app.get("/login").await;
    assert!(
        page.body.contains("Email me a sign-in link"),
        "{}",
        page.body
    );
    let email = app.existing_user().await;
    app.post_form("/login", &[("email", &email)])
        .await
        .assert_redirect_to("/login");
    assert!(app.get("/login").await.body.contains(&format!(
        "If an account exists for {email}, we sent it a sign-in link."
    )));
    let link = link_in(&app.last_mail_to(&email), "/login/");
    app.get(&link).await.assert_redirect_to("/");
    assert!(app.get("/").await.body.contains("You are now signed in."));
}

#[rocket::async_test]
async fn the_pages_link_button_mails_a_link_whatever_the_password_field_holds() {
    let app = passwordless(|f| f).await;
    let page = app.get("/login").await;
    assert_eq!(
        page.body.matches("name=\"email\"").count(),
        1,
        "one email field, two actions"
    );
    let email = app.existing_user().await;
    let before = app.mails_to(&email).len();
    app.post_form(
        "/login",
        &[("email", &email), ("password", ""), ("send_link", "y")],
    )
    .await
    .assert_redirect_to("/login");
    assert_eq!(app.mails_to(&email).len(), before + 1);
    link_in(&app.last_mail_to(&email), "/login/");

    // A bad address keeps what was typed and says what is wrong, beside it.
    let reply = app
        .post_form("/login", &[("email", "not-an-address"), ("send_link", "y")])
        .await;
    assert_eq!(reply.status, Status::Ok);
    assert!(
        reply.body.contains("value=\"not-an-address\""),
        "{}",
        reply.body
    );
    assert!(reply.body.contains("id=\"email-error\""));
    // The password button still signs in with a password.
    let signed_in = app
        .post_form("/login", &[("email", &email), ("password", PASSWORD)])
        .await;
    signed_in.assert_redirect_to("/");
}
