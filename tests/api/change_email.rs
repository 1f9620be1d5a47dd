//! Change email (API-NEXT → Change email): the link goes to the new
//! address only, nothing changes before it is followed, the old address is
//! told afterwards, and a refused link changes nothing.

use crate::helpers::*;
use app::models::TokenContext;
use rocket::figment::Figment;
use rocket::http::Status;
use rocket::serde::json::json;

fn on(f: Figment) -> Figment {
    f.merge(("security.change_email", true))
}

fn specific(f: Figment) -> Figment {
    on(f).merge(("security.generic_responses", false))
}

/// A signed-in user; returns the email.
async fn signed_in(app: &TestApp) -> String {
    let email = app.existing_user().await;
    assert_eq!(app.login(&email, PASSWORD).await.status, Status::Ok);
    email
}

async fn ask(app: &TestApp, new: &str) -> Reply {
    app.post_json("/change-email", json!({ "email": new }))
        .await
}

#[rocket::async_test]
async fn the_account_moves_when_the_link_to_the_new_address_is_followed() {
    let app = spawn_app_with(on).await;
    let old = signed_in(&app).await;
    let page = app.get_json("/change-email").await;
    assert_eq!(page.status, Status::Ok);
    assert_eq!(page.json()["response"]["current_email"], old.as_str());

    let welcomed = app.mails_to(&old).len();
    let new = unique_email();
    let reply = ask(&app, &new).await;
    assert_eq!(reply.status, Status::Ok, "{}", reply.body);
    assert_eq!(reply.json()["response"]["current_email"], old.as_str());
    let mail = app.last_mail_to(&new);
    assert_eq!(mail.subject, "Confirm your new email address");
    assert_eq!(
        app.mails_to(&old).len(),
        welcomed,
        "nothing to the old address yet"
    );
    let link = link_in(&mail, "/change-email/");

    // Nothing has changed yet.
    assert_eq!(app.me().await.json()["email"], old.as_str());
    let elsewhere = app.second_browser().await;
    assert_eq!(
        post_json_as(
            &elsewhere,
            "/login",
            json!({ "email": new, "password": PASSWORD })
        )
        .await
        .status,
        Status::BadRequest
    );

    // Followed by a visitor with no session: a redirect, nobody signed in.
    let sessions = app.token_count(&old, TokenContext::Session).await;
    let followed = app.get_without_cookies(&link, vec![]).await;
    assert_eq!(followed.status, Status::Found);
    assert_eq!(followed.location(), Some("/"));
    assert_eq!(
        app.token_count(&new, TokenContext::Session).await,
        sessions,
        "no session for the visitor"
    );

    // The link was followed on another instance: this one hears of it
    // within a second (README → Performance).
    let started = std::time::Instant::now();
    while app.me().await.json()["email"] != new.as_str()
        && started.elapsed() < std::time::Duration::from_secs(1)
    {
        rocket::tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(
        app.me().await.json()["email"],
        new.as_str(),
        "the session goes on"
    );
    let user = app.user(&new).await;
    assert!(user.confirmed_at.is_some());
    let notice = app.last_mail_to(&old);
    assert_eq!(notice.subject, "Your email address has been changed");
    assert!(notice.text.contains(&new), "{}", notice.text);
    assert_eq!(
        app.mails_to(&new).len(),
        1,
        "the new address got only the link"
    );

    app.logout().await;
    assert_eq!(app.login(&old, PASSWORD).await.status, Status::BadRequest);
    assert_eq!(app.login(&new, PASSWORD).await.status, Status::Ok);
    let basic = app
        .get_without_cookies("/api/me", vec![basic(&new, PASSWORD)])
        .await;
    assert_eq!(basic.status, Status::Ok);

    let kinds = app.events(&new).await;
    assert!(
        kinds.contains(&"email_change_requested".to_owned()),
        "{kinds:?}"
    );
    assert!(kinds.contains(&"email_changed".to_owned()), "{kinds:?}");

    // Single use: a second visit is harmless.
    let again = app.get(&link).await;
    assert_eq!(again.location(), Some("/change-email"));
    assert_eq!(app.user(&new).await.id, user.id);
}

#[rocket::async_test]
async fn bad_addresses_and_taken_ones_are_refused_without_mail() {
    let app = spawn_app_with(specific).await;
    let other = app.existing_user().await;
    let own = signed_in(&app).await;
    let before = app.outbox().len();
    for (body, error) in [
        (
            json!({ "email": "not an address" }),
            "Invalid email address",
        ),
        (json!({ "email": "" }), "Email not provided"),
        (json!({}), "Email not provided"),
    ] {
        let reply = app.post_json("/change-email", body.clone()).await;
        assert_eq!(reply.status, Status::BadRequest, "{body}");
        assert_eq!(reply.field_errors("email"), vec![error], "{body}");
    }
    for taken in [&other, &own, &other.to_uppercase()] {
        let reply = ask(&app, taken).await;
        assert_eq!(reply.status, Status::BadRequest, "{taken}");
        assert!(reply.field_errors("email")[0].ends_with("is already associated with an account."));
    }
    assert_eq!(app.outbox().len(), before, "no mail");
}

#[rocket::async_test]
async fn with_generic_responses_a_taken_address_looks_like_success() {
    let app = spawn_app_with(on).await;
    let other = app.existing_user().await;
    signed_in(&app).await;
    let before = app.outbox().len();
    let reply = ask(&app, &other).await;
    assert_eq!(reply.status, Status::Ok);
    assert_eq!(app.outbox().len(), before, "nobody is mailed");
}

#[rocket::async_test]
async fn an_address_registered_meanwhile_stays_with_its_new_owner() {
    let app = spawn_app_with(on).await;
    let old = signed_in(&app).await;
    let new = unique_email();
    ask(&app, &new).await;
    let link = link_in(&app.last_mail_to(&new), "/change-email/");
    let stranger = app.second_browser().await;
    let credentials = json!({ "email": new, "password": PASSWORD });
    let registered = post_json_as(&stranger, "/register", credentials).await;
    assert_eq!(registered.status, Status::Ok);
    let followed = app.get(&link).await;
    assert_eq!(followed.location(), Some("/change-email"));
    let page = app.get("/change-email").await;
    assert!(
        page.body.contains("now belongs to another account"),
        "{}",
        page.body
    );
    assert_eq!(app.me().await.json()["email"], old.as_str());
    assert_ne!(app.user(&new).await.id, app.user(&old).await.id);
}

#[rocket::async_test]
async fn superseded_expired_and_forged_links_change_nothing() {
    let app = spawn_app_with(|f| on(f).merge(("security.change_email_within", "1s"))).await;
    let old = signed_in(&app).await;
    let welcomed = app.mails_to(&old).len();
    let first = unique_email();
    ask(&app, &first).await;
    let superseded = link_in(&app.last_mail_to(&first), "/change-email/");
    let second = unique_email();
    ask(&app, &second).await;
    let expiring = link_in(&app.last_mail_to(&second), "/change-email/");

    for link in [
        superseded.clone(),
        "/change-email/forged".to_owned(),
        format!("{superseded}x"),
        "/change-email/%00%ff".to_owned(),
    ] {
        let reply = app.get_json(&link).await;
        assert_eq!(reply.status, Status::Found, "{link}");
        assert_eq!(reply.location(), Some("/change-email"), "{link}");
    }
    rocket::tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let reply = app.get(&expiring).await;
    assert_eq!(reply.location(), Some("/change-email"));
    assert_eq!(app.me().await.json()["email"], old.as_str());
    assert_eq!(
        app.mails_to(&old).len(),
        welcomed,
        "no notice: nothing changed"
    );
}

#[rocket::async_test]
async fn it_needs_a_fresh_sign_in_and_is_off_by_default() {
    let app = spawn_app_with(on).await;
    assert_eq!(
        ask(&app, &unique_email()).await.status,
        Status::Unauthorized
    );
    assert_eq!(
        app.get_json("/change-email").await.status,
        Status::Unauthorized
    );

    let stale = spawn_app_with(|f| on(f).merge(("security.freshness", "1s"))).await;
    signed_in(&stale).await;
    rocket::tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let new = unique_email();
    let reply = ask(&stale, &new).await;
    assert_eq!(reply.status, Status::Unauthorized);
    assert_eq!(reply.json()["response"]["reauth_required"], true);
    assert!(stale.mails_to(&new).is_empty());

    let off = spawn_app().await;
    signed_in(&off).await;
    assert_eq!(ask(&off, &unique_email()).await.status, Status::NotFound);
}

#[rocket::async_test]
async fn the_page_asks_for_the_new_address_and_shows_errors() {
    let app = spawn_app_with(specific).await;
    let own = signed_in(&app).await;
    let page = app.get("/change-email").await;
    assert_eq!(page.status, Status::Ok);
    assert!(page.body.contains(&own) && page.body.contains("name=\"email\""));
    let csrf = app.csrf_token().await;
    let refused = app
        .post_form("/change-email", &[("email", &own), ("csrf_token", &csrf)])
        .await;
    assert!(
        refused.body.contains("is already associated"),
        "{}",
        refused.body
    );
    let new = unique_email();
    let csrf = app.csrf_token().await;
    let sent = app
        .post_form("/change-email", &[("email", &new), ("csrf_token", &csrf)])
        .await;
    sent.assert_redirect_to("/change-email");
    assert_eq!(app.mails_to(&new).len(), 1);
    let account = app.get("/account").await;
    assert!(account.body.contains("/change-email"));
}
