//! Security review, classes 2, 3 and 4 (README "Security review"):
//! registration tells nobody which addresses have accounts, whoever reads
//! the mailbox owns the account (no pre-hijacking), and registration mail
//! is rate limited like every other mail.

use crate::helpers::*;
use rocket::http::{ContentType, Header, Status};
use rocket::local::asynchronous::Client;
use rocket::serde::json::json;
use std::time::{Duration, Instant};

fn confirmable(
    floor: &'static str,
) -> impl FnOnce(rocket::figment::Figment) -> rocket::figment::Figment {
    move |f| {
        f.merge(("security.confirmable", true))
            .merge(("security.mail_reply_floor", floor))
    }
}

fn sorted_keys(reply: &Reply) -> Vec<String> {
    let mut keys: Vec<String> = reply.json()["response"]
        .as_object()
        .expect("a response object")
        .keys()
        .cloned()
        .collect();
    keys.sort();
    keys
}

#[rocket::async_test]
async fn with_generic_responses_a_taken_address_registers_exactly_like_a_new_one() {
    let app = spawn_app_with(confirmable("150ms")).await;
    let taken = unique_email();
    app.register_ok(&taken).await;

    let started = Instant::now();
    let new_reply = app.register(&unique_email(), PASSWORD).await;
    let new_took = started.elapsed();
    let started = Instant::now();
    let taken_reply = app.register(&taken, PASSWORD).await;
    let taken_took = started.elapsed();

    assert_eq!(new_reply.status, Status::Ok);
    assert_eq!(taken_reply.status, Status::Ok);
    assert_eq!(
        sorted_keys(&new_reply),
        vec!["csrf_token"],
        "no user, no id"
    );
    assert_eq!(sorted_keys(&taken_reply), vec!["csrf_token"]);
    for took in [new_took, taken_took] {
        assert!(
            took >= Duration::from_millis(150),
            "behind the reply floor: {took:?}"
        );
    }
    assert_eq!(
        app.last_mail_to(&taken).subject,
        "You already have an account"
    );
    assert!(
        app.last_mail_to(&taken).text.contains("/reset"),
        "the way back in"
    );

    // Browsers: the same redirect and the same message.
    let form = |email: String| {
        let app = &app;
        async move { app.register_form(&email).await }
    };
    let new_page = form(unique_email()).await;
    let taken_page = form(taken.clone()).await;
    assert_eq!(new_page.status, taken_page.status);
    assert_eq!(new_page.location(), taken_page.location());
    assert!(app.get("/").await.body.contains(&format!(
        "If {taken} still needs confirming, we sent it a confirmation link."
    )));
}

/// Someone registers `email` in their own browser with a password they know.
async fn squat(app: &TestApp, email: &str) -> Client {
    let squatter = app.second_browser().await;
    let reply = post_json_as(
        &squatter,
        "/register",
        json!({ "email": email, "password": "squatters secret" }),
    )
    .await;
    assert_eq!(reply.status, Status::Ok, "{}", reply.body);
    squatter
}

async fn squatter_signs_in(app: &TestApp, email: &str) -> Status {
    let browser = app.second_browser().await;
    post_json_as(
        &browser,
        "/login",
        json!({ "email": email, "password": "squatters secret" }),
    )
    .await
    .status
}

#[rocket::async_test]
async fn the_owner_can_reset_an_unconfirmed_account_and_that_confirms_it() {
    let app = spawn_app_with(confirmable("10ms")).await;
    let email = unique_email();
    squat(&app, &email).await;
    // The owner, trying to register, is mailed the way back in: reset.
    let owner = app.second_browser().await;
    post_json_as(
        &owner,
        "/register",
        json!({ "email": email, "password": PASSWORD }),
    )
    .await;
    assert!(app.last_mail_to(&email).text.contains("/reset"));
    let asked = post_json_as(&owner, "/reset", json!({ "email": email })).await;
    assert_eq!(asked.status, Status::Ok);
    let link = link_in(&app.last_mail_to(&email), "/reset/");
    let done = post_json_as(
        &owner,
        &link,
        json!({ "password": "owners own passphrase", "password_confirm": "owners own passphrase" }),
    )
    .await;
    assert_eq!(done.status, Status::Ok, "{}", done.body);
    assert!(
        app.user(&email).await.confirmed_at.is_some(),
        "the reset confirmed it"
    );
    assert_eq!(squatter_signs_in(&app, &email).await, Status::BadRequest);
    let mut conn = app.db().await;
    let user = app.user(&email).await;
    let events = app::models::event::recent_for(&mut conn, user.id, &user.email_key, 20)
        .await
        .unwrap();
    assert!(events.iter().any(|e| e.kind == "email_confirmed"));
    assert!(events.iter().any(|e| e.kind == "password_reset"));
}

#[rocket::async_test]
async fn confirming_in_another_browser_withdraws_the_password_chosen_at_registration() {
    let app = spawn_app_with(confirmable("10ms")).await;
    let email = unique_email();
    let squatter = squat(&app, &email).await;
    let link = link_in(&app.last_mail_to(&email), "/confirm/");
    // The owner follows the link the squatter's registration mailed.
    let owner = app.second_browser().await;
    let confirmed = read(
        owner
            .get(link)
            .header(Header::new("Accept", "application/json"))
            .dispatch()
            .await,
    )
    .await;
    assert_eq!(confirmed.status, Status::Ok, "{}", confirmed.body);
    assert!(app.user(&email).await.confirmed_at.is_some());
    assert_eq!(
        app.user(&email).await.password_hash,
        "!",
        "no password works"
    );
    assert_eq!(squatter_signs_in(&app, &email).await, Status::BadRequest);
    // Nothing the squatter's browser held survives either.
    let me = read(
        squatter
            .get("/api/me")
            .header(Header::new("Accept", "application/json"))
            .dispatch()
            .await,
    )
    .await;
    assert_eq!(me.status, Status::Unauthorized);
    let basic_reply = app
        .get_without_cookies("/api/me", vec![basic(&email, "squatters secret")])
        .await;
    assert_eq!(basic_reply.status, Status::Unauthorized);

    // The owner is signed in and was mailed a link to choose a password.
    let me = read(
        owner
            .get("/api/me")
            .header(Header::new("Accept", "application/json"))
            .dispatch()
            .await,
    )
    .await;
    assert_eq!(me.status, Status::Ok);
    let reset = link_in(&app.last_mail_to(&email), "/reset/");
    let chosen = post_json_as(
        &owner,
        &reset,
        json!({ "password": "owners own passphrase", "password_confirm": "owners own passphrase" }),
    )
    .await;
    assert_eq!(chosen.status, Status::Ok, "{}", chosen.body);
    assert_eq!(
        app.login(&email, "owners own passphrase").await.status,
        Status::Ok
    );
}

#[rocket::async_test]
async fn in_a_browser_the_owner_is_told_to_choose_a_password() {
    let app = spawn_app_with(confirmable("10ms")).await;
    let email = unique_email();
    squat(&app, &email).await;
    let link = link_in(&app.last_mail_to(&email), "/confirm/");
    app.get(&link).await.assert_redirect_to("/");
    let home = app.get("/").await;
    assert!(
        home.body
            .contains("we have sent you a link to choose a new one"),
        "{}",
        home.body
    );
    assert_eq!(
        app.last_mail_to(&email).subject,
        "Password reset instructions"
    );
}

#[rocket::async_test]
async fn confirming_in_the_browser_that_registered_keeps_the_password() {
    let app = spawn_app_with(confirmable("10ms")).await;
    let email = unique_email();
    app.register(&email, PASSWORD).await;
    let link = link_in(&app.last_mail_to(&email), "/confirm/");
    assert_eq!(app.get_json(&link).await.status, Status::Ok);
    app.logout().await;
    assert_eq!(app.login(&email, PASSWORD).await.status, Status::Ok);
    assert_eq!(
        app.mails_to(&email).len(),
        1,
        "no reset link: nothing was withdrawn"
    );
}

#[rocket::async_test]
async fn registering_a_taken_address_over_and_over_sends_limited_mail() {
    let app = spawn_app_with(|f| f.merge(("security.rate_limits.mail_per_email", 5))).await;
    let email = app.existing_user().await;
    let mut limited = 0;
    for _ in 0..20 {
        let reply = app.register(&email, PASSWORD).await;
        match reply.status {
            Status::Ok => {}
            Status::TooManyRequests => {
                limited += 1;
                assert!(reply.header("Retry-After").is_some());
            }
            other => panic!("{other}: {}", reply.body),
        }
    }
    // The first registration's welcome counted too.
    assert_eq!(app.mails_to(&email).len(), 5);
    assert_eq!(limited, 16);
}

#[rocket::async_test]
async fn registering_many_addresses_from_one_ip_is_limited() {
    let app =
        spawn_app_with(|f| confirmable("10ms")(f).merge(("security.rate_limits.mail_per_ip", 3)))
            .await;
    let token = app.csrf_token().await;
    let mut statuses = Vec::new();
    for _ in 0..5 {
        let request = app
            .client
            .post("/register")
            .header(ContentType::JSON)
            .header(Header::new("X-CSRF-Token", token.clone()))
            .body(json!({ "email": unique_email(), "password": PASSWORD }).to_string());
        statuses.push(
            read(from_ip(request, "203.0.113.50").dispatch().await)
                .await
                .status,
        );
    }
    assert_eq!(
        statuses,
        vec![
            Status::Ok,
            Status::Ok,
            Status::Ok,
            Status::TooManyRequests,
            Status::TooManyRequests
        ]
    );
    assert_eq!(app.outbox().len(), 3);
}
