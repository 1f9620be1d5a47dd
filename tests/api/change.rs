//! Change password, and what it does to the user's other credentials.

use crate::helpers::*;
use app::models::TokenContext;
use rocket::http::{ContentType, Header, Status};
use rocket::serde::json::json;

const NEW_PASSWORD: &str = "a brand new passphrase";

fn change_body(old: &str, new: &str, confirm: &str) -> rocket::serde::json::Value {
    json!({ "password": old, "new_password": new, "new_password_confirm": confirm })
}

#[rocket::async_test]
async fn every_change_password_error_is_reported() {
    let app = spawn_app().await;
    let email = app.existing_user().await;
    app.login(&email, PASSWORD).await;
    let cases = [
        (
            change_body("wrong password", NEW_PASSWORD, NEW_PASSWORD),
            "password",
            "Invalid password",
        ),
        (
            change_body(PASSWORD, "short", "short"),
            "new_password",
            "Password must be at least 8 characters",
        ),
        (
            change_body(PASSWORD, NEW_PASSWORD, "different"),
            "new_password_confirm",
            "Passwords do not match",
        ),
        (
            change_body(PASSWORD, PASSWORD, PASSWORD),
            "password",
            "Your new password must be different than your previous password.",
        ),
        (
            json!({ "new_password": NEW_PASSWORD, "new_password_confirm": NEW_PASSWORD }),
            "password",
            "Password not provided",
        ),
    ];
    for (body, field, message) in cases {
        let reply = app.post_json("/change", body.clone()).await;
        assert_eq!(reply.status, Status::BadRequest, "{body}");
        assert_eq!(
            reply.field_errors(field),
            vec![message.to_owned()],
            "{body}: {}",
            reply.body
        );
    }
    assert_eq!(
        app.login(&email, PASSWORD).await.status,
        Status::Ok,
        "the password is unchanged"
    );
}

#[rocket::async_test]
async fn changing_the_password_ends_every_other_session_and_token() {
    let app = spawn_app().await;
    let email = app.existing_user().await;
    // Another device, signed in with remember-me, and an API client.
    let other = app.second_browser().await;
    let signed_in = post_json_as(
        &other,
        "/login",
        json!({ "email": email, "password": PASSWORD, "remember": true }),
    )
    .await;
    let old_token = signed_in.json()["response"]["user"]["authentication_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let me_other = || get_json_as(&other, "/api/me", None);
    assert_eq!(me_other().await.status, Status::Ok);

    app.login(&email, PASSWORD).await;
    let reply = app
        .post_json("/change", change_body(PASSWORD, NEW_PASSWORD, NEW_PASSWORD))
        .await;
    assert_eq!(reply.status, Status::Ok, "{}", reply.body);
    let user = &reply.json()["response"]["user"];
    assert_eq!(user["email"], email.as_str());
    let new_token = user["authentication_token"].as_str().unwrap().to_owned();
    assert_ne!(new_token, old_token);

    assert_eq!(
        app.me().await.status,
        Status::Ok,
        "this browser stays signed in"
    );
    assert_eq!(
        within_a_second(me_other, Status::Unauthorized).await.status,
        Status::Unauthorized,
        "the other device (another instance) is out, remember-me too"
    );
    assert_eq!(
        app.get_without_cookies(
            "/api/me",
            vec![Header::new("Authentication-Token", old_token)]
        )
        .await
        .status,
        Status::Unauthorized
    );
    assert_eq!(
        app.get_without_cookies(
            "/api/me",
            vec![Header::new("Authentication-Token", new_token)]
        )
        .await
        .status,
        Status::Ok
    );
    assert_eq!(app.token_count(&email, TokenContext::Remember).await, 0);
    assert_eq!(app.token_count(&email, TokenContext::Session).await, 1);

    assert_eq!(app.login(&email, PASSWORD).await.status, Status::BadRequest);
    assert_eq!(app.login(&email, NEW_PASSWORD).await.status, Status::Ok);

    let notice = app.last_mail_to(&email);
    assert_eq!(notice.subject, "Your password has been changed");
    assert!(notice.text.contains("has been changed") && notice.html.contains("has been changed"));
    // The way back for an owner who did not do it is the reset form.
    assert_eq!(link_in(&notice, "/reset"), "/reset");
}

#[rocket::async_test]
async fn a_token_client_changes_the_password_without_csrf() {
    let app = spawn_app().await;
    let email = app.existing_user().await;
    let token = app.login_token(&email).await;
    let client = app.second_browser().await;
    let reply = read(
        client
            .post("/change")
            .header(ContentType::JSON)
            .header(Header::new("Authentication-Token", token.clone()))
            .body(change_body(PASSWORD, NEW_PASSWORD, NEW_PASSWORD).to_string())
            .dispatch()
            .await,
    )
    .await;
    assert_eq!(reply.status, Status::Ok, "{}", reply.body);
    assert_eq!(
        app.get_without_cookies("/api/me", vec![Header::new("Authentication-Token", token)])
            .await
            .status,
        Status::Unauthorized,
        "the token used is dead too"
    );
}

#[rocket::async_test]
async fn basic_and_session_clients_need_csrf_to_change_the_password() {
    let app = spawn_app().await;
    let email = app.existing_user().await;
    let client = app.second_browser().await;
    let reply = read(
        client
            .post("/change")
            .header(ContentType::JSON)
            .header(basic(&email, PASSWORD))
            .body(change_body(PASSWORD, NEW_PASSWORD, NEW_PASSWORD).to_string())
            .dispatch()
            .await,
    )
    .await;
    assert_eq!(reply.status, Status::BadRequest);
    assert_eq!(
        reply.field_errors("csrf_token"),
        vec!["The CSRF token is missing."]
    );
    app.login(&email, PASSWORD).await;
    let reply = app
        .post_json_with(
            "/change",
            change_body(PASSWORD, NEW_PASSWORD, NEW_PASSWORD),
            None,
        )
        .await;
    assert_eq!(reply.status, Status::BadRequest);
    assert_eq!(
        app.login(&email, PASSWORD).await.status,
        Status::Ok,
        "unchanged"
    );
}

#[rocket::async_test]
async fn you_must_be_signed_in_to_change_your_password() {
    let app = spawn_app().await;
    assert_eq!(
        app.post_json("/change", change_body(PASSWORD, NEW_PASSWORD, NEW_PASSWORD))
            .await
            .status,
        Status::Unauthorized
    );
    app.get("/change")
        .await
        .assert_redirect_to("/login?next=%2Fchange");
}

#[rocket::async_test]
async fn the_change_password_form_works_in_a_browser() {
    let app = spawn_app().await;
    let email = app.existing_user().await;
    app.login(&email, PASSWORD).await;
    let page = app.get("/change").await;
    assert_eq!(page.status, Status::Ok);
    assert!(page.body.contains("autocomplete=\"current-password\""));

    let wrong = app
        .post_form(
            "/change",
            &[
                ("password", "nope"),
                ("new_password", NEW_PASSWORD),
                ("new_password_confirm", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(wrong.status, Status::Ok);
    assert!(wrong.body.contains("Invalid password"));

    let done = app
        .post_form(
            "/change",
            &[
                ("password", PASSWORD),
                ("new_password", NEW_PASSWORD),
                ("new_password_confirm", NEW_PASSWORD),
            ],
        )
        .await;
    done.assert_redirect_to("/");
    let home = app.get("/").await;
    assert!(
        home.body
            .contains("You successfully changed your password."),
        "{}",
        home.body
    );
    assert_eq!(app.me().await.status, Status::Ok);
}
