//! Rate limits, lockout and the audit trail.

use crate::helpers::*;
use rocket::http::{ContentType, Header, Status};
use rocket::local::asynchronous::Client;
use rocket::serde::json::json;

/// A JSON sign-in from `ip` through `client`.
async fn login_from(client: &Client, email: &str, password: &str, ip: &str) -> Reply {
    let csrf = csrf_of(client).await;
    let request = client
        .post("/login")
        .header(ContentType::JSON)
        .header(Header::new("X-CSRF-Token", csrf))
        .body(json!({ "email": email, "password": password }).to_string());
    read(from_ip(request, ip).dispatch().await).await
}

#[rocket::async_test]
async fn failed_sign_ins_are_limited_per_email_and_ip() {
    let app = spawn_app_with(|f| f.merge(("security.rate_limits.login_per_email_and_ip", 3))).await;
    let email = app.existing_user().await;
    for _ in 0..3 {
        assert_eq!(
            login_from(&app.client, &email, "wrong", "203.0.113.1")
                .await
                .status,
            Status::BadRequest
        );
    }
    let limited = login_from(&app.client, &email, PASSWORD, "203.0.113.1").await;
    assert_eq!(
        limited.status,
        Status::TooManyRequests,
        "even the right password waits"
    );
    assert_eq!(limited.json()["meta"]["code"], 429);
    assert_eq!(
        limited.errors(),
        vec!["Too many attempts. Please wait a while and try again."]
    );
    let retry: u64 = limited.header("Retry-After").unwrap().parse().unwrap();
    assert!((1..=300).contains(&retry), "{retry}");

    // An unknown address is limited exactly alike: the 429 reveals nothing.
    let stranger = unique_email();
    for _ in 0..3 {
        login_from(&app.client, &stranger, "wrong", "203.0.113.1").await;
    }
    assert_eq!(
        login_from(&app.client, &stranger, "wrong", "203.0.113.1")
            .await
            .status,
        Status::TooManyRequests
    );

    // The owner, signing in from elsewhere, is not affected; and that success
    // does not hand the guessing IP a fresh allowance.
    assert_eq!(
        login_from(&app.client, &email, PASSWORD, "198.51.100.2")
            .await
            .status,
        Status::Ok
    );
    assert_eq!(
        login_from(&app.client, &email, PASSWORD, "203.0.113.1")
            .await
            .status,
        Status::TooManyRequests
    );
}

#[rocket::async_test]
async fn one_ip_guessing_many_accounts_is_limited() {
    let app = spawn_app_with(|f| f.merge(("security.rate_limits.login_per_ip", 5))).await;
    for _ in 0..5 {
        login_from(&app.client, &unique_email(), "wrong", "192.0.2.9").await;
    }
    assert_eq!(
        login_from(&app.client, &unique_email(), "wrong", "192.0.2.9")
            .await
            .status,
        Status::TooManyRequests
    );
    assert_eq!(
        login_from(&app.client, &unique_email(), "wrong", "192.0.2.10")
            .await
            .status,
        Status::BadRequest
    );
}

#[rocket::async_test]
async fn lockout_holds_from_every_ip_until_a_reset() {
    let app = spawn_app_with(|f| f.merge(("security.rate_limits.lockout_after", 3))).await;
    let email = app.existing_user().await;
    for ip in ["192.0.2.1", "192.0.2.2", "192.0.2.3"] {
        login_from(&app.client, &email, "wrong", ip).await;
    }
    assert_eq!(
        login_from(&app.client, &email, PASSWORD, "192.0.2.4")
            .await
            .status,
        Status::TooManyRequests
    );

    app.post_json("/reset", json!({ "email": email })).await;
    let link = link_in(&app.last_mail_to(&email), "/reset/");
    let reset = app
        .post_json(
            &link,
            json!({ "password": "brand new secret", "password_confirm": "brand new secret" }),
        )
        .await;
    assert_eq!(reset.status, Status::Ok);
    assert_eq!(
        login_from(&app.client, &email, "brand new secret", "192.0.2.4")
            .await
            .status,
        Status::Ok
    );
}

#[rocket::async_test]
async fn loopback_is_not_one_client_but_its_emails_are_still_limited() {
    let app = spawn_app_with(|f| {
        f.merge(("security.rate_limits.login_per_ip", 2))
            .merge(("security.rate_limits.login_per_email_and_ip", 2))
    })
    .await;
    for _ in 0..3 {
        login_from(&app.client, &unique_email(), "wrong", "127.0.0.1").await;
    }
    let email = app.existing_user().await;
    assert_eq!(
        login_from(&app.client, &email, PASSWORD, "127.0.0.1")
            .await
            .status,
        Status::Ok
    );
    for _ in 0..2 {
        login_from(&app.client, &email, "wrong", "127.0.0.1").await;
    }
    assert_eq!(
        login_from(&app.client, &email, PASSWORD, "127.0.0.1")
            .await
            .status,
        Status::TooManyRequests
    );
}

#[rocket::async_test]
async fn the_limits_are_shared_by_every_instance() {
    let app = spawn_app_with(|f| f.merge(("security.rate_limits.login_per_email_and_ip", 4))).await;
    let email = app.existing_user().await;
    let other_instance = app.second_browser().await; // a second Rocket on the same database
    for client in [&app.client, &other_instance, &app.client, &other_instance] {
        login_from(client, &email, "wrong", "203.0.113.5").await;
    }
    assert_eq!(
        login_from(&app.client, &email, PASSWORD, "203.0.113.5")
            .await
            .status,
        Status::TooManyRequests
    );
    assert_eq!(
        login_from(&other_instance, &email, PASSWORD, "203.0.113.5")
            .await
            .status,
        Status::TooManyRequests
    );
}

#[rocket::async_test]
async fn basic_auth_guesses_count_too() {
    let app = spawn_app_with(|f| f.merge(("security.rate_limits.login_per_email_and_ip", 2))).await;
    let email = app.existing_user().await;
    for _ in 0..2 {
        let reply = app
            .get_without_cookies("/api/me", vec![basic(&email, "wrong")])
            .await;
        assert_eq!(reply.status, Status::Unauthorized);
    }
    let limited = app
        .get_without_cookies("/api/me", vec![basic(&email, PASSWORD)])
        .await;
    assert_eq!(limited.status, Status::TooManyRequests);
    assert!(limited.header("Retry-After").is_some());
}

#[rocket::async_test]
async fn mail_requests_are_limited_per_address() {
    // Registering sent the first mail (the welcome), so two resets remain.
    let app = spawn_app_with(|f| f.merge(("security.rate_limits.mail_per_email", 3))).await;
    let email = app.existing_user().await;
    for _ in 0..2 {
        assert_eq!(
            app.post_json("/reset", json!({ "email": email }))
                .await
                .status,
            Status::Ok
        );
    }
    let limited = app.post_json("/reset", json!({ "email": email })).await;
    assert_eq!(limited.status, Status::TooManyRequests);
    assert_eq!(
        app.mails_to(&email)
            .iter()
            .filter(|m| m.subject == "Password reset instructions")
            .count(),
        2
    );
    let stranger = unique_email();
    for _ in 0..3 {
        app.post_json("/reset", json!({ "email": stranger })).await;
    }
    assert_eq!(
        app.post_json("/reset", json!({ "email": stranger }))
            .await
            .status,
        Status::TooManyRequests
    );
}

#[rocket::async_test]
async fn limits_can_be_turned_off() {
    let app = spawn_app_with(|f| {
        f.merge(("security.rate_limits.enabled", false))
            .merge(("security.rate_limits.login_per_email_and_ip", 1))
    })
    .await;
    let email = app.existing_user().await;
    for _ in 0..3 {
        login_from(&app.client, &email, "wrong", "203.0.113.1").await;
    }
    assert_eq!(
        login_from(&app.client, &email, PASSWORD, "203.0.113.1")
            .await
            .status,
        Status::Ok
    );
}

#[rocket::async_test]
async fn security_events_are_recorded_and_listed_by_the_cli() {
    let app = spawn_app().await;
    let email = app.existing_user().await;
    login_from(&app.client, &email, "wrong", "203.0.113.8").await;
    login_from(&app.client, &email, PASSWORD, "203.0.113.8").await;
    app.post_json("/change", json!({ "password": PASSWORD, "new_password": "another secret", "new_password_confirm": "another secret" }))
        .await;
    let user = app.user(&email).await;
    let events = app::models::event::recent_for(&mut *app.db().await, user.id, &user.email_key, 10)
        .await
        .unwrap();
    let kinds: Vec<&str> = events.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "password_changed",
            "login_succeeded",
            "login_failed",
            "login_succeeded",
            "registered"
        ],
        "{kinds:?}"
    );
    assert_eq!(events[2].ip.as_deref(), Some("203.0.113.8"));

    let url: String = app.figment.extract_inner("databases.app.url").unwrap();
    let output =
        std::process::Command::new(env!(concat!("CARGO_BIN_EXE_", env!("CARGO_PKG_NAME"))))
            .args(["users", "events", &email, "--limit", "3"])
            .env("ROCKET_DATABASES", format!("{{app={{url=\"{url}\"}}}}"))
            .output()
            .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 3);
    assert!(lines[0].contains("\tpassword_changed\t"), "{stdout}");
    assert!(
        lines[2].ends_with("\tlogin_failed\t203.0.113.8"),
        "{stdout}"
    );
}
