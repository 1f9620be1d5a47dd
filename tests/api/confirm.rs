//! Email confirmation.

use crate::helpers::*;
use app::models::TokenContext;
use rocket::http::Status;
use rocket::serde::json::json;

async fn confirmable(
    extra: impl FnOnce(rocket::figment::Figment) -> rocket::figment::Figment,
) -> TestApp {
    spawn_app_with(|f| extra(f.merge(("security.confirmable", true)))).await
}

#[rocket::async_test]
async fn registering_mails_a_link_and_signs_nobody_in_until_it_is_followed() {
    let app = confirmable(|f| f).await;
    let email = unique_email();
    let reply = app.register(&email, PASSWORD).await;
    assert_eq!(reply.status, Status::Ok, "{}", reply.body);
    // Generic responses: no `user`, so a taken address answers the same.
    assert!(
        reply.json()["response"].get("user").is_none(),
        "{}",
        reply.body
    );
    assert_eq!(app.me().await.status, Status::Unauthorized);

    let welcome = app.last_mail_to(&email);
    assert_eq!(welcome.subject, "Welcome");
    assert!(
        welcome.text.contains("valid for 5 days"),
        "{}",
        welcome.text
    );
    let link = link_in(&welcome, "/confirm/");

    let refused = app.login(&email, PASSWORD).await;
    assert_eq!(refused.status, Status::BadRequest);
    assert_eq!(
        refused.field_errors("email"),
        vec!["Email requires confirmation."]
    );

    let confirmed = app.get_json(&link).await;
    assert_eq!(confirmed.status, Status::Ok, "{}", confirmed.body);
    assert_eq!(
        confirmed.json()["response"]["user"]["email"],
        email.as_str()
    );
    assert!(confirmed.json()["response"]["csrf_token"].is_string());
    let me = app.me().await;
    assert_eq!(me.status, Status::Ok, "signed in on confirmation");
    assert!(me.json()["confirmed_at"].is_string());
    assert_eq!(
        me.json()["login_count"],
        1,
        "the confirmation sign-in is tracked"
    );

    // Single use: a second visit signs nobody in.
    app.logout().await;
    let again = app.get_json(&link).await;
    assert_eq!(again.status, Status::BadRequest);
    assert_eq!(again.errors(), vec!["Invalid confirmation token."]);
    assert_eq!(app.me().await.status, Status::Unauthorized);
    assert_eq!(app.login(&email, PASSWORD).await.status, Status::Ok);
}

#[rocket::async_test]
async fn in_a_browser_confirmation_redirects_with_a_message() {
    let app = confirmable(|f| f).await;
    let email = unique_email();
    let reply = app.register_form(&email).await;
    reply.assert_redirect_to("/");
    assert!(app.get("/").await.body.contains(&format!(
        "If {email} still needs confirming, we sent it a confirmation link."
    )));
    let link = link_in(&app.last_mail_to(&email), "/confirm/");
    app.get(&link).await.assert_redirect_to("/");
    let home = app.get("/").await;
    assert!(home
        .body
        .contains("Thank you. Your email has been confirmed."));
    assert!(home.body.contains(&format!("Hello, {email}")));

    let bad = app.get("/confirm/not-a-real-token").await;
    bad.assert_redirect_to("/confirm");
    assert!(app
        .get("/confirm")
        .await
        .body
        .contains("Invalid confirmation token."));
}

#[rocket::async_test]
async fn without_auto_login_confirmation_only_confirms() {
    let app = confirmable(|f| f.merge(("security.auto_login_after_confirm", false))).await;
    let email = unique_email();
    app.register(&email, PASSWORD).await;
    let link = link_in(&app.last_mail_to(&email), "/confirm/");
    let reply = app.get_json(&link).await;
    assert_eq!(reply.status, Status::Ok);
    assert!(reply.json()["response"]["user"]
        .get("authentication_token")
        .is_none());
    assert_eq!(app.me().await.status, Status::Unauthorized);
    assert!(app.user(&email).await.confirmed_at.is_some());
    assert_eq!(app.user(&email).await.login_count, 0);
    assert_eq!(app.login(&email, PASSWORD).await.status, Status::Ok);
}

#[rocket::async_test]
async fn an_expired_link_is_refused_and_a_fresh_one_is_mailed() {
    let app = confirmable(|f| f.merge(("security.confirm_within", "1s"))).await;
    let email = unique_email();
    app.register(&email, PASSWORD).await;
    let old = link_in(&app.last_mail_to(&email), "/confirm/");
    rocket::tokio::time::sleep(std::time::Duration::from_millis(1500)).await;

    let reply = app.get_json(&old).await;
    assert_eq!(reply.status, Status::BadRequest);
    assert_eq!(
        reply.errors(),
        vec![format!("You did not confirm your email within 1 second. New instructions to confirm your email have been sent to {email}.")]
    );
    assert!(app.user(&email).await.confirmed_at.is_none());
    let fresh = app.last_mail_to(&email);
    assert_eq!(fresh.subject, "Please confirm your email");
    let fresh = link_in(&fresh, "/confirm/");
    assert_ne!(fresh, old);
    assert_eq!(app.get_json(&fresh).await.status, Status::Ok);
}

#[rocket::async_test]
async fn tampered_links_and_links_sent_to_an_old_address_are_refused() {
    let app = confirmable(|f| f).await;
    let email = unique_email();
    app.register(&email, PASSWORD).await;
    let link = link_in(&app.last_mail_to(&email), "/confirm/");
    let mut tampered = link.clone().into_bytes();
    let last = tampered.len() - 1;
    tampered[last] = if tampered[last] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(tampered).unwrap();
    for bad in [
        tampered.as_str(),
        "/confirm/x",
        "/confirm/%00%ff",
        &format!("{link}x"),
    ] {
        let reply = app.get_json(bad).await;
        assert_eq!(reply.status, Status::BadRequest, "{bad}");
        assert_eq!(reply.errors(), vec!["Invalid confirmation token."]);
    }

    // The address changes after the link was sent: the link is void.
    let user = app.user(&email).await;
    let mut conn = app.db().await;
    use app::db::schema::users;
    use diesel::prelude::*;
    use diesel_async::RunQueryDsl;
    diesel::update(users::table.find(user.id))
        .set((
            users::email.eq("changed@example.com"),
            users::email_key.eq("changed@example.com"),
        ))
        .execute(&mut *conn)
        .await
        .unwrap();
    let reply = app.get_json(&link).await;
    assert_eq!(reply.errors(), vec!["Invalid confirmation token."]);
    assert!(app.user("changed@example.com").await.confirmed_at.is_none());
}

#[rocket::async_test]
async fn resending_answers_the_same_for_everyone_and_mails_only_the_unconfirmed() {
    let app = confirmable(|f| f).await;
    let unconfirmed = unique_email();
    app.register(&unconfirmed, PASSWORD).await;
    let confirmed = unique_email();
    app.register(&confirmed, PASSWORD).await;
    let link = link_in(&app.last_mail_to(&confirmed), "/confirm/");
    app.get_json(&link).await;
    app.logout().await;
    let unknown = unique_email();
    let before = app.outbox().len();

    let replies = [
        app.post_json("/confirm", json!({ "email": unconfirmed }))
            .await,
        app.post_json("/confirm", json!({ "email": confirmed }))
            .await,
        app.post_json("/confirm", json!({ "email": unknown })).await,
    ];
    for reply in &replies {
        assert_eq!(reply.status, Status::Ok, "{}", reply.body);
        let mut response = reply.json()["response"].clone();
        response.as_object_mut().unwrap().remove("csrf_token");
        assert_eq!(response, json!({}));
    }
    assert_eq!(
        app.outbox().len(),
        before + 1,
        "only the unconfirmed account got mail"
    );
    let resent = app.last_mail_to(&unconfirmed);
    assert_eq!(resent.subject, "Please confirm your email");
    assert_eq!(
        app.get_json(&link_in(&resent, "/confirm/")).await.status,
        Status::Ok
    );

    let bad = app.post_json("/confirm", json!({ "email": "nope" })).await;
    assert_eq!(bad.field_errors("email"), vec!["Invalid email address"]);
}

#[rocket::async_test]
async fn the_first_confirmation_ends_sessions_made_before_it() {
    // Credential pre-stuffing: someone registered the address first.
    let app = confirmable(|f| f).await;
    let email = unique_email();
    app.register(&email, PASSWORD).await;
    let mut conn = app.db().await;
    let user = app.user(&email).await;
    let client = Default::default();
    app::accounts::tokens::issue_token(&mut conn, &user, TokenContext::Api, &client)
        .await
        .unwrap();
    let link = link_in(&app.last_mail_to(&email), "/confirm/");
    app.get_json(&link).await;
    assert_eq!(
        app.token_count(&email, TokenContext::Api).await,
        1,
        "only the token the confirmation sign-in issued"
    );
}
