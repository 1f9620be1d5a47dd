//! Two-factor sign-in: setting up an authenticator app or mailed codes,
//! the pending sign-in and `/tf-validate`, rescue, and what the anchor lets
//! through (replayed codes, HTTP Basic).

use crate::helpers::*;
use rocket::http::{ContentType, Header, Status};
use rocket::local::asynchronous::Client;
use rocket::serde::json::{json, Value};
use totp_rs::{Builder, Secret};

async fn two_factor_app() -> TestApp {
    spawn_app_with(|f| {
        f.merge(("security.two_factor", true))
            .merge(("security.totp_issuer", "Example"))
            .merge(("security.two_factor_rescue_mail", "helpdesk@example.com"))
    })
    .await
}

fn response(reply: &Reply) -> Value {
    reply.json()["response"].clone()
}

/// The code an authenticator app shows for `b32key`, `steps_ahead` steps
/// from now.
fn totp_code(b32key: &str, steps_ahead: u64) -> String {
    let secret = Secret::try_from_base32(b32key).expect("base32 key");
    let totp = Builder::new().with_secret(secret).build().expect("totp");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    totp.generate(now + 30 * steps_ahead).to_string()
}

/// The six-digit code in the newest mail to `email`.
fn mailed_code(app: &TestApp, email: &str) -> String {
    let mail = app.last_mail_to(email);
    assert_eq!(mail.subject, "Two-Factor Login");
    let digits: Vec<&str> = mail
        .text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|run| run.len() == 6)
        .collect();
    digits.first().expect("a six-digit code").to_string()
}

/// Signs a new user in and sets up the authenticator; returns the email
/// and the key.
async fn with_authenticator(app: &TestApp) -> (String, String) {
    let email = app.existing_user().await;
    assert_eq!(app.login(&email, PASSWORD).await.status, Status::Ok);
    let started = app
        .post_json("/tf-setup", json!({ "setup": "authenticator" }))
        .await;
    assert_eq!(started.status, Status::Ok, "{}", started.body);
    let r = response(&started);
    let key = r["tf_authr_b32key"].as_str().unwrap().to_owned();
    let state = r["tf_state_token"].as_str().unwrap().to_owned();
    let done = app
        .post_json(
            &format!("/tf-setup/{state}"),
            json!({ "code": totp_code(&key, 0) }),
        )
        .await;
    assert_eq!(done.status, Status::Ok, "{}", done.body);
    (email, key)
}

#[rocket::async_test]
async fn setting_up_an_authenticator_shows_the_key_and_changes_nothing_until_confirmed() {
    let app = two_factor_app().await;
    let email = app.existing_user().await;
    app.login(&email, PASSWORD).await;
    let state = app.get_json("/tf-setup").await;
    let r = response(&state);
    assert_eq!(r["tf_required"], false);
    assert_eq!(r["tf_method"], Value::Null);
    assert_eq!(r["tf_phone_number"], Value::Null);
    assert_eq!(r["tf_available_methods"], json!(["email", "authenticator"]));

    let started = app
        .post_json("/tf-setup", json!({ "setup": "authenticator" }))
        .await;
    let r = response(&started);
    assert_eq!(r["tf_state"], "validating_profile");
    assert_eq!(r["tf_method"], "authenticator");
    assert_eq!(r["tf_primary_method"], "authenticator");
    let key = r["tf_authr_b32key"].as_str().unwrap();
    assert_eq!(key.len(), 32, "160 bits, unpadded base32");
    assert!(!key.contains('='));
    assert_eq!(r["tf_authr_key"].as_str().unwrap().replace('-', ""), key);
    assert_eq!(r["tf_authr_issuer"], "Example");
    assert_eq!(r["tf_authr_username"], email.as_str());
    assert_eq!(
        r["tf_authr_uri"],
        format!(
            "otpauth://totp/Example:{}?secret={key}&issuer=Example",
            email.replace('@', "%40")
        )
    );
    assert_eq!(
        response(&app.get_json("/tf-setup").await)["tf_method"],
        Value::Null
    );

    // A wrong code: refused, and the same state still takes the right one.
    let state = r["tf_state_token"].as_str().unwrap();
    let wrong = app
        .post_json(&format!("/tf-setup/{state}"), json!({ "code": "000000x" }))
        .await;
    assert_eq!(wrong.status, Status::BadRequest);
    assert_eq!(wrong.field_errors("code"), vec!["Invalid code"]);
    let tampered = app
        .post_json("/tf-setup/not-a-state", json!({ "code": "123456" }))
        .await;
    assert_eq!(tampered.status, Status::BadRequest);
    assert_eq!(tampered.field_errors("").len(), 1, "{}", tampered.body);
    let done = app
        .post_json(
            &format!("/tf-setup/{state}"),
            json!({ "code": totp_code(key, 0) }),
        )
        .await;
    assert_eq!(done.status, Status::Ok, "{}", done.body);
    assert_eq!(
        response(&done),
        json!({ "tf_method": "authenticator", "tf_primary_method": "authenticator",
                "tf_phone": null, "csrf_token": response(&done)["csrf_token"] })
    );
    let r = response(&app.get_json("/tf-setup").await);
    assert_eq!(r["tf_method"], "authenticator");
    assert_eq!(
        r["tf_available_methods"],
        json!(["disable", "email", "authenticator"])
    );
    // Sealed at rest: the stored secret is not the key's bytes.
    let user = app.user(&email).await;
    let row = app::models::two_factor::find(&mut *app.db().await, user.id)
        .await
        .unwrap()
        .unwrap();
    let raw = Secret::try_from_base32(key).unwrap();
    let stored = row.secret.unwrap();
    assert!(!stored.windows(20).any(|w| w == raw.as_bytes()));
    assert_eq!(
        app.last_mail_to(&email).subject,
        "Two-factor sign-in changed"
    );
}

#[rocket::async_test]
async fn a_sign_in_stops_after_the_password_and_completes_with_a_fresh_code_once() {
    let app = two_factor_app().await;
    let (email, key) = with_authenticator(&app).await;
    app.logout().await;

    let step = app.login(&email, PASSWORD).await;
    assert_eq!(step.status, Status::Ok, "{}", step.body);
    let r = response(&step);
    assert_eq!(r["tf_required"], true);
    assert_eq!(r["tf_state"], "ready");
    assert_eq!(r["tf_method"], "authenticator");
    assert!(r.get("user").is_none(), "no user, no token");
    assert_eq!(app.me().await.status, Status::Unauthorized);
    let csrf = r["csrf_token"].as_str().unwrap().to_owned();

    let page = app.get_json("/tf-validate").await;
    assert_eq!(
        response(&page)["recovery_options"],
        json!({ "email": "/tf-rescue", "help": "/tf-rescue" })
    );
    // The code that confirmed the setup was used: the same step is refused.
    let replayed = app
        .post_json_with(
            "/tf-validate",
            json!({ "code": totp_code(&key, 0) }),
            Some(&csrf),
        )
        .await;
    assert_eq!(replayed.status, Status::BadRequest);
    assert_eq!(replayed.field_errors("code"), vec!["Invalid code"]);
    // Another browser cannot complete this sign-in.
    let other = app.second_browser().await;
    let stolen = post_json_as(
        &other,
        "/tf-validate",
        json!({ "code": totp_code(&key, 1) }),
    )
    .await;
    assert_eq!(stolen.status, Status::Unauthorized);

    let next = totp_code(&key, 1);
    let done = app
        .post_json_with("/tf-validate", json!({ "code": next }), Some(&csrf))
        .await;
    assert_eq!(done.status, Status::Ok, "{}", done.body);
    let r = response(&done);
    assert_eq!(r["user"]["email"], email.as_str());
    assert!(r["user"]["authentication_token"].is_string());
    assert_ne!(
        r["csrf_token"].as_str().unwrap(),
        csrf,
        "the CSRF token rotates"
    );
    // Registration, the setup's sign-in, and this one once it completed.
    assert_eq!(app.me().await.json()["login_count"], 3);

    // The same code again, in a new sign-in: refused (no replay).
    app.logout().await;
    app.login(&email, PASSWORD).await;
    let again = app.post_json("/tf-validate", json!({ "code": next })).await;
    assert_eq!(again.status, Status::BadRequest);
    // Completed or never started: nothing pending.
    let fresh_browser = app.second_browser().await;
    let none = post_json_as(&fresh_browser, "/tf-validate", json!({ "code": "123456" })).await;
    assert_eq!(none.status, Status::Unauthorized);
    assert_eq!(
        none.errors(),
        vec!["You must sign in to view this resource."]
    );
}

#[rocket::async_test]
async fn mailed_codes_are_random_single_use_and_die_when_a_new_one_is_sent() {
    let app = two_factor_app().await;
    let email = app.existing_user().await;
    app.login(&email, PASSWORD).await;
    let started = app
        .post_json("/tf-setup", json!({ "setup": "email" }))
        .await;
    let r = response(&started);
    assert!(r.get("tf_authr_b32key").is_none());
    let state = r["tf_state_token"].as_str().unwrap().to_owned();
    let code = mailed_code(&app, &email);
    let done = app
        .post_json(&format!("/tf-setup/{state}"), json!({ "code": code }))
        .await;
    assert_eq!(done.status, Status::Ok, "{}", done.body);
    app.logout().await;

    let step = app.login(&email, PASSWORD).await;
    assert_eq!(response(&step)["tf_method"], "email");
    let first = mailed_code(&app, &email);
    // A rescue mails a new code; the first one dies.
    let rescued = app
        .post_json("/tf-rescue", json!({ "help_setup": "email" }))
        .await;
    assert_eq!(rescued.status, Status::Ok, "{}", rescued.body);
    let second = mailed_code(&app, &email);
    if first != second {
        let dead = app
            .post_json("/tf-validate", json!({ "code": first }))
            .await;
        assert_eq!(dead.status, Status::BadRequest);
    }
    let done = app
        .post_json("/tf-validate", json!({ "code": second }))
        .await;
    assert_eq!(done.status, Status::Ok, "{}", done.body);
    app.logout().await;
    app.login(&email, PASSWORD).await;
    let reused = app
        .post_json("/tf-validate", json!({ "code": second }))
        .await;
    assert_eq!(reused.status, Status::BadRequest, "single use");
}

#[rocket::async_test]
async fn asking_for_help_mails_the_operator_and_other_choices_are_refused() {
    let app = two_factor_app().await;
    let (email, _) = with_authenticator(&app).await;
    app.logout().await;
    app.login(&email, PASSWORD).await;
    let help = app
        .post_json("/tf-rescue", json!({ "help_setup": "help" }))
        .await;
    assert_eq!(help.status, Status::Ok);
    let mail = app.last_mail_to("helpdesk@example.com");
    assert_eq!(mail.subject, "Two-Factor Rescue");
    assert!(mail.text.contains(&email));
    let bad = app
        .post_json("/tf-rescue", json!({ "help_setup": "sms" }))
        .await;
    assert_eq!(bad.status, Status::BadRequest);
    assert!(!bad.field_errors("help_setup").is_empty());
}

#[rocket::async_test]
async fn http_basic_cannot_skip_the_second_factor() {
    let app = two_factor_app().await;
    let (email, _) = with_authenticator(&app).await;
    for password in [PASSWORD, "wrong password"] {
        let reply = app
            .get_without_cookies("/api/me", vec![basic(&email, password)])
            .await;
        assert_eq!(reply.status, Status::Unauthorized);
        assert_eq!(
            reply.header("WWW-Authenticate"),
            Some("Basic realm=\"Login Required\"")
        );
    }
}

#[rocket::async_test]
async fn wrong_codes_count_toward_the_sign_in_limits() {
    let app = spawn_app_with(|f| {
        f.merge(("security.two_factor", true))
            .merge(("security.totp_issuer", "Example"))
            .merge(("security.rate_limits.login_per_email_and_ip", 3))
    })
    .await;
    let (email, _) = with_authenticator(&app).await;
    app.logout().await;
    app.login(&email, PASSWORD).await;
    let mut statuses = Vec::new();
    for _ in 0..4 {
        statuses.push(
            app.post_json("/tf-validate", json!({ "code": "000000" }))
                .await
                .status,
        );
    }
    assert_eq!(
        statuses.last(),
        Some(&Status::TooManyRequests),
        "{statuses:?}"
    );
}

#[rocket::async_test]
async fn turning_it_off_needs_a_fresh_sign_in_and_then_the_password_is_enough() {
    let app = spawn_app_with(|f| {
        f.merge(("security.two_factor", true))
            .merge(("security.totp_issuer", "Example"))
            .merge(("security.freshness", "1s"))
            .merge(("security.freshness_grace", "0s"))
    })
    .await;
    let (email, key) = with_authenticator(&app).await;
    rocket::tokio::time::sleep(std::time::Duration::from_millis(1200)).await;
    let stale = app
        .post_json("/tf-setup", json!({ "setup": "disable" }))
        .await;
    assert_eq!(stale.status, Status::Unauthorized);
    assert_eq!(stale.json()["response"]["reauth_required"], true);
    app.post_json("/verify", json!({ "password": PASSWORD }))
        .await;
    let off = app
        .post_json("/tf-setup", json!({ "setup": "disable" }))
        .await;
    assert_eq!(off.status, Status::Ok, "{}", off.body);
    assert_eq!(response(&off)["user"]["email"], email.as_str());
    app.logout().await;
    let signed_in = app.login(&email, PASSWORD).await;
    assert!(response(&signed_in)["user"]["authentication_token"].is_string());
    let _ = key;
    // An unknown or disabled method is refused.
    let bad = app.post_json("/tf-setup", json!({ "setup": "sms" })).await;
    assert_eq!(
        bad.field_errors("setup"),
        vec!["Marked method is not valid"]
    );
}

#[rocket::async_test]
async fn in_a_browser_the_setup_page_shows_the_qr_code_and_the_sign_in_asks_for_the_code() {
    let app = two_factor_app().await;
    let email = app.existing_user().await;
    let page = app
        .post_form("/login", &[("email", &email), ("password", PASSWORD)])
        .await;
    page.assert_redirect_to("/");
    let setup = app.get("/tf-setup").await;
    assert!(
        setup.body.contains("Two-factor sign-in is off"),
        "{}",
        setup.body
    );
    let started = app
        .post_form("/tf-setup", &[("setup", "authenticator")])
        .await;
    assert_eq!(started.status, Status::Ok);
    assert!(started.body.contains("<svg"), "the QR code inline");
    assert!(!started.body.contains("<?xml"));
    let key = started
        .body
        .split("<code class=\"key\">")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .unwrap()
        .replace('-', "");
    let action = started
        .body
        .split("action=\"/tf-setup/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    let done = app
        .post_form(
            &format!("/tf-setup/{action}"),
            &[("code", &totp_code(&key, 0))],
        )
        .await;
    done.assert_redirect_to("/tf-setup");
    assert!(app
        .get("/tf-setup")
        .await
        .body
        .contains("Two-factor sign-in is on"));

    let browser: Client = app.second_browser().await;
    let csrf = csrf_of(&browser).await;
    let step = read(
        browser
            .post("/login")
            .header(ContentType::Form)
            .header(Header::new("X-CSRF-Token", csrf.clone()))
            .body(format!(
                "email={email}&password={}",
                PASSWORD.replace(' ', "+")
            ))
            .dispatch()
            .await,
    )
    .await;
    step.assert_redirect_to("/tf-validate");
    let form = read(browser.get("/tf-validate").dispatch().await).await;
    assert!(form.body.contains("Enter your code"));
    let code = totp_code(&key, 1);
    let done = read(
        browser
            .post("/tf-validate")
            .header(ContentType::Form)
            .header(Header::new("X-CSRF-Token", csrf))
            .body(format!("code={code}"))
            .dispatch()
            .await,
    )
    .await;
    done.assert_redirect_to("/");
}

#[rocket::async_test]
async fn two_factor_settings_are_checked_at_launch() {
    let dir = tempfile::tempdir().unwrap();
    let base = test_figment(&dir)
        .await
        .merge(("security.two_factor", true))
        .merge(("security.totp_issuer", ""));
    assert!(launch_fails(base.clone()).await, "no totp_issuer");
    let with_issuer = base.merge(("security.totp_issuer", "Example"));
    for (key, value) in [
        ("security.two_factor_methods", json!(["sms"])),
        ("security.two_factor_methods", json!([])),
        ("security.totp_issuer", json!("Ex:ample")),
        ("security.encryption_key", json!("c2hvcnQ=")),
    ] {
        let figment = with_issuer.clone().merge((key, value.clone()));
        assert!(launch_fails(figment).await, "{key} = {value}");
    }
    assert!(!launch_fails(with_issuer).await);
}

#[rocket::async_test]
async fn required_two_factor_is_set_up_right_after_the_password_before_any_session() {
    let app = spawn_app_with(|f| {
        f.merge(("security.two_factor", true))
            .merge(("security.totp_issuer", "Example"))
            .merge(("security.two_factor_required", true))
    })
    .await;
    // Registering signs nobody in: the new account sets two-factor up first.
    let email = unique_email();
    let registered = app.register(&email, PASSWORD).await;
    assert_eq!(registered.status, Status::Ok, "{}", registered.body);
    let r = response(&registered);
    assert_eq!(r["tf_required"], true);
    assert_eq!(r["tf_state"], "setup_from_login");
    assert_eq!(r["tf_method"], Value::Null);
    assert!(r.get("user").is_none());
    assert_eq!(app.me().await.status, Status::Unauthorized);
    app.logout().await;

    let step = app.login(&email, PASSWORD).await;
    let r = response(&step);
    assert_eq!(r["tf_state"], "setup_from_login");
    assert_eq!(r["tf_available_methods"], json!(["email", "authenticator"]));
    assert!(r.get("user").is_none());
    assert_eq!(
        app.me().await.status,
        Status::Unauthorized,
        "no session yet"
    );
    let csrf = r["csrf_token"].as_str().unwrap().to_owned();

    let state = app.get_json("/tf-setup").await;
    assert_eq!(state.status, Status::Ok, "{}", state.body);
    assert_eq!(response(&state)["tf_required"], true);
    let off = app
        .post_json_with("/tf-setup", json!({ "setup": "disable" }), Some(&csrf))
        .await;
    assert_eq!(
        off.status,
        Status::BadRequest,
        "cannot be turned off while required"
    );
    let started = app
        .post_json_with(
            "/tf-setup",
            json!({ "setup": "authenticator" }),
            Some(&csrf),
        )
        .await;
    assert_eq!(started.status, Status::Ok, "{}", started.body);
    let r = response(&started);
    let key = r["tf_authr_b32key"].as_str().unwrap().to_owned();
    let token = r["tf_state_token"].as_str().unwrap().to_owned();
    // Another browser has no such sign-in.
    let other = app.second_browser().await;
    let stolen = post_json_as(
        &other,
        &format!("/tf-setup/{token}"),
        json!({ "code": totp_code(&key, 0) }),
    )
    .await;
    assert_eq!(stolen.status, Status::Unauthorized);
    let done = app
        .post_json_with(
            &format!("/tf-setup/{token}"),
            json!({ "code": totp_code(&key, 0) }),
            Some(&csrf),
        )
        .await;
    assert_eq!(done.status, Status::Ok, "{}", done.body);
    assert!(
        response(&done)["user"]["authentication_token"].is_string(),
        "signed in"
    );
    assert_eq!(app.me().await.status, Status::Ok);
    // From now on, the usual second step.
    app.logout().await;
    assert_eq!(
        response(&app.login(&email, PASSWORD).await)["tf_state"],
        "ready"
    );
    // Basic cannot skip it either.
    let other = unique_email();
    app::accounts::admin::create_user(
        &mut *app.db().await,
        app.client
            .rocket()
            .state::<app::accounts::Security>()
            .unwrap(),
        app::accounts::admin::NewAccount {
            email: &other,
            username: None,
            password: PASSWORD,
            roles: &[],
            confirmed: true,
            active: true,
        },
    )
    .await
    .unwrap();
    let basic_reply = app
        .get_without_cookies("/api/me", vec![basic(&other, PASSWORD)])
        .await;
    assert_eq!(basic_reply.status, Status::Unauthorized);
}

#[rocket::async_test]
async fn two_factor_can_be_required_by_role_only() {
    let app = spawn_app_with(|f| {
        f.merge(("security.two_factor", true))
            .merge(("security.totp_issuer", "Example"))
            .merge(("security.two_factor_required_roles", vec!["admin"]))
    })
    .await;
    let admin = app.existing_user().await;
    let member = app.existing_user().await;
    app.grant_role(&admin, "admin").await;
    assert_eq!(
        response(&app.login(&admin, PASSWORD).await)["tf_state"],
        "setup_from_login"
    );
    app.logout().await;
    let signed_in = app.login(&member, PASSWORD).await;
    assert!(response(&signed_in)["user"]["authentication_token"].is_string());
    // The page: a browser goes to the setup.
    app.logout().await;
    let browser = app.second_browser().await;
    let csrf = csrf_of(&browser).await;
    let step = read(
        browser
            .post("/login")
            .header(ContentType::Form)
            .header(Header::new("X-CSRF-Token", csrf))
            .body(format!(
                "email={admin}&password={}",
                PASSWORD.replace(' ', "+")
            ))
            .dispatch()
            .await,
    )
    .await;
    step.assert_redirect_to("/tf-setup");
    let page = read(browser.get("/tf-setup").dispatch().await).await;
    assert!(
        page.body.contains("This account needs two-factor sign-in"),
        "{}",
        page.body
    );
}

#[rocket::async_test]
async fn a_pending_sign_in_expires_survives_get_login_and_ends_at_a_new_password_step() {
    let app = spawn_app_with(|f| {
        f.merge(("security.two_factor", true))
            .merge(("security.totp_issuer", "Example"))
            .merge(("security.two_factor_login_within", "1s"))
    })
    .await;
    let (email, key) = with_authenticator(&app).await;
    app.logout().await;
    let step = app.login(&email, PASSWORD).await;
    let csrf = response(&step)["csrf_token"].as_str().unwrap().to_owned();
    // Refreshing the CSRF token the Flask way keeps the pending sign-in,
    // and the earlier token still works.
    assert_eq!(app.get_json("/login").await.status, Status::Ok);
    assert_eq!(app.get_json("/tf-validate").await.status, Status::Ok);
    for code in [
        json!("000000"),
        json!(""),
        Value::Null,
        json!(123456),
        json!("x".repeat(500)),
    ] {
        let wrong = app
            .post_json_with("/tf-validate", json!({ "code": code }), Some(&csrf))
            .await;
        assert_eq!(wrong.status, Status::BadRequest, "{code}");
        assert!(
            !wrong.field_errors("code").is_empty(),
            "{code}: {}",
            wrong.body
        );
    }
    let empty = app
        .post_json_with("/tf-validate", json!({ "code": "" }), Some(&csrf))
        .await;
    assert_eq!(empty.field_errors("code"), vec!["Invalid code"]);
    rocket::tokio::time::sleep(std::time::Duration::from_millis(1300)).await;
    let late = app
        .post_json_with(
            "/tf-validate",
            json!({ "code": totp_code(&key, 1) }),
            Some(&csrf),
        )
        .await;
    assert_eq!(late.status, Status::Unauthorized, "expired: start over");
    assert_eq!(app.me().await.status, Status::Unauthorized);
    // A new password step starts a new one; signing out ends it.
    app.login(&email, PASSWORD).await;
    assert_eq!(app.get_json("/tf-validate").await.status, Status::Ok);
    app.logout().await;
    assert_eq!(
        app.get_json("/tf-validate").await.status,
        Status::Unauthorized
    );
}

#[rocket::async_test]
async fn the_second_step_keeps_next_and_remember_me_from_the_first() {
    let app = two_factor_app().await;
    let (email, key) = with_authenticator(&app).await;
    app.logout().await;
    let step = app
        .post_form(
            "/login?next=/account",
            &[("email", &email), ("password", PASSWORD), ("remember", "y")],
        )
        .await;
    step.assert_redirect_to("/tf-validate?next=%2Faccount");
    assert!(
        step.cookie("remember_token").is_none(),
        "not before the second factor"
    );
    let form = app.get("/tf-validate?next=%2Faccount").await;
    assert!(
        form.body.contains("name=\"next\" value=\"/account\""),
        "{}",
        form.body
    );
    let done = app
        .post_form(
            "/tf-validate",
            &[("code", &totp_code(&key, 1)), ("next", "/account")],
        )
        .await;
    done.assert_redirect_to("/account");
    assert!(
        done.cookie("remember_token").is_some(),
        "remember-me, asked at the first step"
    );
    // An unsafe next is dropped, never followed.
    app.logout().await;
    app.post_form("/login", &[("email", &email), ("password", PASSWORD)])
        .await;
    // (A mailed rescue code: the authenticator's next step is spent.)
    app.post_form("/tf-rescue", &[("help_setup", "email")])
        .await;
    let code = mailed_code(&app, &email);
    let done = app
        .post_form(
            "/tf-validate",
            &[("code", &code), ("next", "//evil.example")],
        )
        .await;
    done.assert_redirect_to("/");
}

#[rocket::async_test]
async fn rescue_is_for_a_pending_sign_in_only() {
    let app = two_factor_app().await;
    let email = app.existing_user().await;
    app.login(&email, PASSWORD).await;
    let json = app
        .post_json("/tf-rescue", json!({ "help_setup": "email" }))
        .await;
    assert_eq!(json.status, Status::BadRequest);
    assert_eq!(
        json.errors(),
        vec!["You can only access this endpoint when not logged in."]
    );
    let page = app
        .post_form("/tf-rescue", &[("help_setup", "email")])
        .await;
    page.assert_redirect_to("/");
    assert!(app
        .mails_to(&email)
        .iter()
        .all(|m| m.subject != "Two-Factor Login"));
}
