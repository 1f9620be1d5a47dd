//! Unified sign-in (API-NEXT → Unified sign-in): the setup of mailed
//! codes, signing in with a code, its link or the password, `/us-verify`,
//! and codes that work once, for their account, for five minutes.

use crate::helpers::*;
use app::db::schema::user_tokens;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use rocket::figment::Figment;
use rocket::http::{Header, Status};
use rocket::local::asynchronous::Client;
use rocket::serde::json::{json, Value};

fn on(f: Figment) -> Figment {
    f.merge(("security.unified_signin", true))
}

fn specific(f: Figment) -> Figment {
    on(f).merge(("security.generic_responses", false))
}

fn response(reply: &Reply) -> Value {
    reply.json()["response"].clone()
}

/// The first standalone run of six digits in the newest mail to `email`.
fn code_in(app: &TestApp, email: &str) -> String {
    let mail = app.last_mail_to(email);
    assert_eq!(mail.subject, "Verification Code");
    let code = mail
        .text
        .split(|c: char| !c.is_ascii_digit())
        .find(|run| run.len() == 6);
    code.expect("a six-digit code").to_owned()
}

/// A signed-in account with mailed codes set up; returns its email.
async fn with_email_codes(app: &TestApp) -> String {
    let email = app.existing_user().await;
    assert_eq!(app.login(&email, PASSWORD).await.status, Status::Ok);
    let started = app
        .post_json("/us-setup", json!({ "chosen_method": "email" }))
        .await;
    assert_eq!(started.status, Status::Ok, "{}", started.body);
    let state = response(&started)["state"].as_str().unwrap().to_owned();
    let code = code_in(app, &email);
    let done = app
        .post_json(&format!("/us-setup/{state}"), json!({ "passcode": code }))
        .await;
    assert_eq!(done.status, Status::Ok, "{}", done.body);
    app.logout().await;
    email
}

async fn send_code(client: &Client, identity: &str) -> Reply {
    post_json_as(
        client,
        "/us-signin/send-code",
        json!({ "identity": identity, "chosen_method": "email" }),
    )
    .await
}

async fn us_signin(client: &Client, identity: &str, passcode: &str) -> Reply {
    post_json_as(
        client,
        "/us-signin",
        json!({ "identity": identity, "passcode": passcode }),
    )
    .await
}

#[rocket::async_test]
async fn the_endpoints_exist_only_when_on_and_describe_themselves() {
    let off = spawn_app().await;
    for path in [
        "/us-signin",
        "/us-setup",
        "/us-verify",
        "/us-verify-link?id=1&code=123456",
    ] {
        assert_eq!(off.get_json(path).await.status, Status::NotFound, "{path}");
    }
    let app = spawn_app_with(on).await;
    let page = app.get_json("/us-signin").await;
    assert_eq!(page.status, Status::Ok);
    let r = response(&page);
    assert_eq!(r["available_methods"], json!(["password", "email"]));
    assert_eq!(r["code_methods"], json!(["email"]));
    assert_eq!(r["identity_attributes"], json!(["email"]));
    assert!(r["csrf_token"].is_string());
    let html = app.get("/us-signin").await;
    assert_eq!(html.status, Status::Ok);
    assert!(html.body.contains("name=\"identity\"") && html.body.contains("name=\"passcode\""));

    // An unknown method refuses to launch, naming the key.
    let dir = tempfile::tempdir().unwrap();
    let figment = on(test_figment(&dir).await).merge(("security.us_enabled_methods", ["sms"]));
    assert!(launch_fails(figment).await);
    let dir = tempfile::tempdir().unwrap();
    let figment =
        on(test_figment(&dir).await).merge(("security.us_enabled_methods", ["authenticator"]));
    assert!(
        launch_fails(figment).await,
        "authenticator needs two-factor"
    );
}

#[rocket::async_test]
async fn setting_up_mailed_codes_needs_a_fresh_user_and_the_mailed_code() {
    let app = spawn_app_with(on).await;
    assert_eq!(app.get_json("/us-setup").await.status, Status::Unauthorized);
    let email = app.existing_user().await;
    app.login(&email, PASSWORD).await;
    let page = app.get_json("/us-setup").await;
    assert_eq!(page.status, Status::Ok);
    let r = response(&page);
    assert_eq!(r["active_methods"], json!(["password"]));
    assert_eq!(r["available_methods"], json!(["password", "email"]));
    assert_eq!(r["setup_methods"], json!(["email"]));
    assert_eq!(r["phone"], Value::Null);

    for bad in ["sms", "password", "bogus"] {
        let reply = app
            .post_json("/us-setup", json!({ "chosen_method": bad }))
            .await;
        assert_eq!(reply.status, Status::BadRequest, "{bad}");
        assert_eq!(
            reply.field_errors("chosen_method"),
            vec!["Requested method is not valid"]
        );
    }
    let started = app
        .post_json("/us-setup", json!({ "chosen_method": "email" }))
        .await;
    assert_eq!(started.status, Status::Ok, "{}", started.body);
    let r = response(&started);
    assert_eq!(r["chosen_method"], "email");
    assert_eq!(r["phone"], Value::Null);
    let state = r["state"].as_str().unwrap().to_owned();
    let mail = app.last_mail_to(&email);
    assert!(
        !mail.text.contains("/us-verify-link"),
        "a setup code has no link"
    );
    let code = code_in(&app, &email);

    // A wrong code, a tampered state: refused, nothing changes.
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let reply = app
        .post_json(&format!("/us-setup/{state}"), json!({ "passcode": wrong }))
        .await;
    assert_eq!(reply.status, Status::BadRequest);
    assert_eq!(
        reply.field_errors("passcode"),
        vec!["Password or code submitted is not valid"]
    );
    let mut tampered = state.clone();
    tampered.replace_range(0..1, if state.starts_with('A') { "B" } else { "A" });
    for bad_state in [tampered.as_str(), "garbage", &"x".repeat(500)] {
        let reply = app
            .post_json(
                &format!("/us-setup/{bad_state}"),
                json!({ "passcode": code }),
            )
            .await;
        assert_eq!(reply.status, Status::BadRequest, "{bad_state}");
        assert_eq!(
            reply.field_errors(""),
            vec!["Setup must be completed within 30 minutes. Please start over."]
        );
    }
    assert_eq!(
        response(&app.get_json("/us-setup").await)["active_methods"],
        json!(["password"])
    );

    let done = app
        .post_json(&format!("/us-setup/{state}"), json!({ "passcode": code }))
        .await;
    assert_eq!(done.status, Status::Ok, "{}", done.body);
    assert_eq!(response(&done)["chosen_method"], "email");
    assert_eq!(response(&done)["phone"], Value::Null);
    assert_eq!(
        response(&app.get_json("/us-setup").await)["active_methods"],
        json!(["password", "email"])
    );
    // The state is spent.
    let again = app
        .post_json(&format!("/us-setup/{state}"), json!({ "passcode": code }))
        .await;
    assert_eq!(again.status, Status::BadRequest);

    // Turned off again; then no codes are mailed.
    let off = app
        .post_json("/us-setup", json!({ "delete_method": ["email"] }))
        .await;
    assert_eq!(off.status, Status::Ok, "{}", off.body);
    assert_eq!(
        response(&app.get_json("/us-setup").await)["active_methods"],
        json!(["password"])
    );
    let bad = app
        .post_json("/us-setup", json!({ "delete_method": ["sms"] }))
        .await;
    assert_eq!(bad.status, Status::BadRequest);
    let events = {
        let mut conn = app.db().await;
        app::accounts::admin::events(&mut conn, &email, 50)
            .await
            .unwrap()
            .1
    };
    let kinds: Vec<String> = events.into_iter().map(|e| e.kind).collect();
    assert!(kinds.contains(&"us_method_enabled".to_owned()), "{kinds:?}");
    assert!(
        kinds.contains(&"us_method_disabled".to_owned()),
        "{kinds:?}"
    );
}

#[rocket::async_test]
async fn setup_is_freshness_gated_and_its_state_expires() {
    let stale = spawn_app_with(|f| {
        on(f)
            .merge(("security.freshness", "1s"))
            .merge(("security.freshness_grace", "0s"))
    })
    .await;
    let email = stale.existing_user().await;
    stale.login(&email, PASSWORD).await;
    let started = stale
        .post_json("/us-setup", json!({ "chosen_method": "email" }))
        .await;
    let state = response(&started)["state"].as_str().unwrap().to_owned();
    let code = code_in(&stale, &email);
    rocket::tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let reply = stale.get_json("/us-setup").await;
    assert_eq!(reply.status, Status::Unauthorized);
    assert_eq!(response(&reply)["reauth_required"], true);
    assert_eq!(response(&reply)["unified_signin_enabled"], true);
    // The browser goes to /us-verify, not /verify.
    let page = stale.get("/us-setup").await;
    assert_eq!(page.status, Status::Found);
    assert_eq!(page.location(), Some("/us-verify?next=%2Fus-setup"));

    // The started setup needs only a signed-in user, but only 30 minutes.
    {
        let mut conn = stale.db().await;
        let old = app::models::now() - time::Duration::minutes(31);
        diesel::update(user_tokens::table.filter(user_tokens::context.eq("us_setup")))
            .set(user_tokens::created_at.eq(old))
            .execute(&mut *conn)
            .await
            .unwrap();
    }
    let reply = stale
        .post_json(&format!("/us-setup/{state}"), json!({ "passcode": code }))
        .await;
    assert_eq!(reply.status, Status::BadRequest);
    assert_eq!(
        reply.field_errors(""),
        vec!["Setup must be completed within 30 minutes. Please start over."]
    );
}

#[rocket::async_test]
async fn a_mailed_code_signs_in_once_and_its_link_dies_with_it() {
    let app = spawn_app_with(on).await;
    let email = with_email_codes(&app).await;
    let browser = app.second_browser().await;
    let sent = send_code(&browser, &email).await;
    assert_eq!(sent.status, Status::Ok, "{}", sent.body);
    assert!(response(&sent)["user"].is_null());
    assert_eq!(
        get_json_as(&browser, "/api/me", None).await.status,
        Status::Unauthorized
    );
    let mail = app.last_mail_to(&email);
    let code = code_in(&app, &email);
    let id = app.user(&email).await.id;
    let link = format!("http://localhost/us-verify-link?id={id}&code={code}");
    assert!(mail.text.contains(&link), "{}", mail.text);
    let escaped = link
        .replace('=', "&#x3D;")
        .replace('&', "&amp;")
        .replace("&amp;#x3D;", "&#x3D;");
    assert!(mail.html.contains(&escaped), "{}", mail.html);

    let reply = post_json_as(
        &browser,
        "/us-signin",
        json!({ "identity": email, "passcode": code, "remember": true }),
    )
    .await;
    assert_eq!(reply.status, Status::Ok, "{}", reply.body);
    let r = response(&reply);
    assert_eq!(r["tf_required"], false);
    assert_eq!(r["user"]["email"], email.as_str());
    let token = r["user"]["authentication_token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(reply.cookie("session").is_some());
    assert!(reply.cookie("remember_token").is_some(), "remember: true");
    assert_eq!(
        get_json_as(&browser, "/api/me", None).await.status,
        Status::Ok
    );
    assert_eq!(
        get_json_as(&app.second_browser().await, "/api/me", Some(&token))
            .await
            .status,
        Status::Ok
    );

    // Neither the code nor its link signs in again.
    let other = app.second_browser().await;
    let again = us_signin(&other, &email, &code).await;
    assert_eq!(again.status, Status::BadRequest);
    let followed = read(
        other
            .get(link.trim_start_matches("http://localhost"))
            .dispatch()
            .await,
    )
    .await;
    assert_eq!(followed.status, Status::Found);
    assert_eq!(followed.location(), Some("/us-signin"));
    assert_eq!(
        get_json_as(&other, "/api/me", None).await.status,
        Status::Unauthorized
    );
}

#[rocket::async_test]
async fn the_link_signs_in_whatever_browser_follows_it() {
    let app = spawn_app_with(on).await;
    let email = with_email_codes(&app).await;
    let asker = app.second_browser().await;
    send_code(&asker, &email).await;
    let code = code_in(&app, &email);
    let id = app.user(&email).await.id;
    let phone = app.second_browser().await;
    let followed = read(
        phone
            .get(format!("/us-verify-link?id={id}&code={code}"))
            .dispatch()
            .await,
    )
    .await;
    assert_eq!(followed.status, Status::Found);
    assert_eq!(followed.location(), Some("/"));
    assert!(followed.cookie("session").is_some());
    assert_eq!(
        get_json_as(&phone, "/api/me", None).await.json()["email"],
        email.as_str()
    );
    // The code is used up: it no longer signs in the asking browser.
    assert_eq!(
        us_signin(&asker, &email, &code).await.status,
        Status::BadRequest
    );
    // A signed-in visitor just goes on.
    let again = read(
        phone
            .get(format!("/us-verify-link?id={id}&code={code}"))
            .dispatch()
            .await,
    )
    .await;
    assert_eq!(again.location(), Some("/"));

    // Garbage is a redirect with the error, never a 5xx.
    let nobody = app.second_browser().await;
    for query in [
        "id=abc&code=123456".to_owned(),
        format!("id={id}&code={}", "9".repeat(4000)),
        "id=99999999&code=123456".to_owned(),
        "id=-1&code=%00%ff".to_owned(),
        "code=123456".to_owned(),
        String::new(),
    ] {
        let reply = read(
            nobody
                .get(format!("/us-verify-link?{query}"))
                .dispatch()
                .await,
        )
        .await;
        assert_eq!(reply.status, Status::Found, "{query}");
        assert_eq!(reply.location(), Some("/us-signin"), "{query}");
    }
}

#[rocket::async_test]
async fn wrong_used_foreign_and_superseded_codes_are_refused() {
    let app = spawn_app_with(specific).await;
    let alice = with_email_codes(&app).await;
    let bob = with_email_codes(&app).await;
    let browser = app.second_browser().await;
    send_code(&browser, &alice).await;
    let first = code_in(&app, &alice);
    send_code(&browser, &bob).await;
    let bobs = code_in(&app, &bob);

    let wrong = if first == "000000" {
        "111111"
    } else {
        "000000"
    };
    for (passcode, what) in [
        (wrong, "wrong"),
        (bobs.as_str(), "another account's"),
        ("", "empty"),
        (&"1".repeat(5000), "oversized"),
    ] {
        let reply = us_signin(&browser, &alice, passcode).await;
        assert_eq!(reply.status, Status::BadRequest, "{what}");
        assert_eq!(
            reply.field_errors("passcode"),
            vec!["Password or code submitted is not valid"],
            "{what}"
        );
    }
    // A new code makes the earlier one dead.
    send_code(&browser, &alice).await;
    let second = code_in(&app, &alice);
    if second != first {
        assert_eq!(
            us_signin(&browser, &alice, &first).await.status,
            Status::BadRequest
        );
    }
    let ok = us_signin(&browser, &alice, &second).await;
    assert_eq!(
        ok.status,
        Status::Ok,
        "the right code still works: {}",
        ok.body
    );

    // Expired after five minutes.
    let other = app.second_browser().await;
    send_code(&other, &bob).await;
    let late = code_in(&app, &bob);
    {
        let mut conn = app.db().await;
        let old = app::models::now() - time::Duration::minutes(6);
        diesel::update(user_tokens::table.filter(user_tokens::context.eq("us_code")))
            .set(user_tokens::created_at.eq(old))
            .execute(&mut *conn)
            .await
            .unwrap();
    }
    assert_eq!(
        us_signin(&other, &bob, &late).await.status,
        Status::BadRequest
    );

    // Unknown identity, and wrong types.
    let unknown = us_signin(&other, "nobody@example.com", "123456").await;
    assert_eq!(
        unknown.field_errors("identity"),
        vec!["You must specify a valid identity to sign in"]
    );
    let odd = post_json_as(
        &other,
        "/us-signin",
        json!({ "identity": 5, "passcode": [1] }),
    )
    .await;
    assert_eq!(odd.status, Status::BadRequest);
    assert!(!odd.field_errors("identity").is_empty() && !odd.field_errors("passcode").is_empty());
}

#[rocket::async_test]
async fn the_password_is_a_passcode_and_generic_replies_hide_who_exists() {
    let app = spawn_app_with(on).await;
    let email = app.existing_user().await;
    let browser = app.second_browser().await;
    let reply = us_signin(&browser, &email, PASSWORD).await;
    assert_eq!(reply.status, Status::Ok, "{}", reply.body);
    assert!(response(&reply)["user"]["authentication_token"].is_string());

    let other = app.second_browser().await;
    for (identity, passcode) in [
        (email.as_str(), "wrong password"),
        ("nobody@example.com", PASSWORD),
    ] {
        let reply = us_signin(&other, identity, passcode).await;
        assert_eq!(reply.status, Status::BadRequest);
        assert_eq!(
            reply.field_errors(""),
            vec!["Authentication failed - identity or password/passcode invalid"]
        );
        assert!(
            reply.field_errors("identity").is_empty() && reply.field_errors("passcode").is_empty()
        );
    }
    // send-code: the same 200 whether or not the account exists or has
    // the method, and mail only when both.
    let before = app.outbox().len();
    for identity in [email.as_str(), "nobody@example.com"] {
        let reply = send_code(&other, identity).await;
        assert_eq!(reply.status, Status::Ok, "{}", reply.body);
        assert_eq!(
            response(&reply)
                .as_object()
                .unwrap()
                .keys()
                .collect::<Vec<_>>(),
            vec!["csrf_token"]
        );
    }
    let reply = post_json_as(
        &other,
        "/us-signin/send-code",
        json!({ "identity": email, "chosen_method": "sms" }),
    )
    .await;
    assert_eq!(reply.status, Status::Ok);
    assert_eq!(app.outbox().len(), before, "no mail");
}

#[rocket::async_test]
async fn send_code_says_what_is_wrong_without_generic_replies() {
    let app = spawn_app_with(specific).await;
    let plain = app.existing_user().await;
    let browser = app.second_browser().await;
    let before = app.outbox().len();
    let reply = send_code(&browser, &plain).await;
    assert_eq!(reply.status, Status::BadRequest);
    assert_eq!(
        reply.field_errors("chosen_method"),
        vec!["Requested method is not valid"]
    );
    for method in ["sms", "password", "carrier pigeon"] {
        let reply = post_json_as(
            &browser,
            "/us-signin/send-code",
            json!({ "identity": plain, "chosen_method": method }),
        )
        .await;
        assert_eq!(
            reply.field_errors("chosen_method"),
            vec!["Requested method is not valid"],
            "{method}"
        );
    }
    let reply = send_code(&browser, "nobody@example.com").await;
    assert_eq!(
        reply.field_errors("identity"),
        vec!["You must specify a valid identity to sign in"]
    );
    assert_eq!(app.outbox().len(), before, "no mail");

    // Signed in: anonymous only.
    app.login(&plain, PASSWORD).await;
    let reply = app
        .post_json(
            "/us-signin/send-code",
            json!({ "identity": plain, "chosen_method": "email" }),
        )
        .await;
    assert_eq!(reply.status, Status::BadRequest);
    assert_eq!(
        reply.errors(),
        vec!["You can only access this endpoint when not logged in."]
    );
    // And the CSRF token is required.
    let stranger = app.second_browser().await;
    let reply = read(
        stranger
            .post("/us-signin/send-code")
            .header(rocket::http::ContentType::JSON)
            .body(json!({ "identity": plain, "chosen_method": "email" }).to_string())
            .dispatch()
            .await,
    )
    .await;
    assert_eq!(reply.status, Status::BadRequest, "{}", reply.body);
}

#[rocket::async_test]
async fn us_verify_makes_a_session_or_token_fresh_with_any_active_passcode() {
    let app = spawn_app_with(|f| on(f).merge(("security.freshness", "1s"))).await;
    assert_eq!(
        app.get_json("/us-verify").await.status,
        Status::Unauthorized
    );
    let email = app.existing_user().await;
    app.login(&email, PASSWORD).await;
    let page = app.get_json("/us-verify").await;
    assert_eq!(page.status, Status::Ok);
    let r = response(&page);
    assert_eq!(r["user"]["email"], email.as_str());
    assert_eq!(r["available_methods"], json!(["password", "email"]));
    assert_eq!(r["code_methods"], json!([]));
    assert_eq!(r["has_webauthn_verify_credential"], false);
    assert_eq!(r["oauth_enabled"], false);
    // No code method yet: send-code is refused.
    let reply = app
        .post_json("/us-verify/send-code", json!({ "chosen_method": "email" }))
        .await;
    assert_eq!(
        reply.field_errors("chosen_method"),
        vec!["Requested method is not valid"]
    );

    rocket::tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert_eq!(
        app.get_json("/api/sensitive").await.status,
        Status::Unauthorized
    );
    let wrong = app
        .post_json("/us-verify", json!({ "passcode": "not it" }))
        .await;
    assert_eq!(wrong.status, Status::BadRequest);
    assert_eq!(
        wrong.field_errors("passcode"),
        vec!["Password or code submitted is not valid"]
    );
    let ok = app
        .post_json("/us-verify", json!({ "passcode": PASSWORD }))
        .await;
    assert_eq!(ok.status, Status::Ok, "{}", ok.body);
    assert!(response(&ok)["user"]["authentication_token"].is_string());
    assert_eq!(app.get_json("/api/sensitive").await.status, Status::Ok);
}

#[rocket::async_test]
async fn a_mailed_code_reauthenticates_a_token() {
    let app = spawn_app_with(on).await;
    let email = with_email_codes(&app).await;
    let token = app.login_token(&email).await;
    let client = app.second_browser().await;
    let auth = || Header::new("Authentication-Token", token.clone());
    let sent = read(
        client
            .post("/us-verify/send-code")
            .header(rocket::http::ContentType::JSON)
            .header(auth())
            .body(json!({ "chosen_method": "email" }).to_string())
            .dispatch()
            .await,
    )
    .await;
    assert_eq!(sent.status, Status::Ok, "{}", sent.body);
    let mail = app.last_mail_to(&email);
    assert!(!mail.text.contains("/us-verify-link"));
    let code = code_in(&app, &email);
    // A sign-in code is not a verify code, and the other way round.
    assert_eq!(
        us_signin(&app.second_browser().await, &email, &code)
            .await
            .status,
        Status::BadRequest
    );
    let verify = |passcode: String| {
        client
            .post("/us-verify")
            .header(rocket::http::ContentType::JSON)
            .header(auth())
            .body(json!({ "passcode": passcode }).to_string())
            .dispatch()
    };
    let ok = read(verify(code.clone()).await).await;
    assert_eq!(ok.status, Status::Ok, "{}", ok.body);
    let new_token = response(&ok)["user"]["authentication_token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(new_token, token);
    assert_eq!(
        get_json_as(&client, "/api/sensitive", Some(&new_token))
            .await
            .status,
        Status::Ok
    );
    let again = read(verify(code).await).await;
    assert_eq!(again.status, Status::BadRequest, "used");
}

#[rocket::async_test]
async fn a_second_factor_still_follows_a_mailed_code_and_usernames_are_identities() {
    let app = spawn_app_with(|f| {
        on(f)
            .merge(("security.two_factor", true))
            .merge(("security.totp_issuer", "Example"))
            .merge(("security.username_enable", true))
    })
    .await;
    let email = unique_email();
    let name = format!(
        "signin{}",
        email
            .chars()
            .filter(char::is_ascii_digit)
            .collect::<String>()
    );
    let reg = app
        .post_json(
            "/register",
            json!({ "email": email, "password": PASSWORD, "username": name }),
        )
        .await;
    assert_eq!(reg.status, Status::Ok, "{}", reg.body);
    assert_eq!(
        response(&app.get_json("/us-signin").await)["identity_attributes"],
        json!(["email", "username"])
    );
    // Username and password sign in through unified sign-in too.
    let browser = app.second_browser().await;
    let reply = us_signin(&browser, &name.to_uppercase(), PASSWORD).await;
    assert_eq!(reply.status, Status::Ok, "{}", reply.body);

    // Two-factor by email on: the passcode step is followed by /tf-validate.
    let tf = app
        .post_json("/tf-setup", json!({ "setup": "email" }))
        .await;
    let state = response(&tf)["tf_state_token"].as_str().unwrap().to_owned();
    let mail = app.last_mail_to(&email);
    let code: String = mail
        .text
        .split(|c: char| !c.is_ascii_digit())
        .find(|r| r.len() == 6)
        .unwrap()
        .into();
    let done = app
        .post_json(&format!("/tf-setup/{state}"), json!({ "code": code }))
        .await;
    assert_eq!(done.status, Status::Ok, "{}", done.body);
    let other = app.second_browser().await;
    let reply = us_signin(&other, &name, PASSWORD).await;
    assert_eq!(reply.status, Status::Ok, "{}", reply.body);
    let r = response(&reply);
    assert_eq!(r["tf_required"], true);
    assert!(r["user"].is_null());
    assert_eq!(
        get_json_as(&other, "/api/me", None).await.status,
        Status::Unauthorized
    );
}

#[rocket::async_test]
async fn the_pages_work_for_a_browser() {
    let app = spawn_app_with(specific).await;
    let email = with_email_codes(&app).await;
    let sent = app
        .post_form(
            "/us-signin/send-code",
            &[("identity", &email), ("chosen_method", "email")],
        )
        .await;
    assert_eq!(sent.status, Status::Ok, "{}", sent.body);
    assert!(sent.body.contains("Code has been sent."));
    assert!(sent.body.contains(&format!("value=\"{email}\"")));
    let code = code_in(&app, &email);
    let wrong = app
        .post_form("/us-signin", &[("identity", &email), ("passcode", "nope")])
        .await;
    assert_eq!(wrong.status, Status::Ok);
    assert!(wrong
        .body
        .contains("Password or code submitted is not valid"));
    let reply = app
        .post_form(
            "/us-signin?next=/account",
            &[("identity", &email), ("passcode", &code)],
        )
        .await;
    assert_eq!(reply.status, Status::Found, "{}", reply.body);
    assert_eq!(reply.location(), Some("/account"));
    let account = app.get("/account").await;
    assert!(
        account.body.contains("/us-setup"),
        "listed in the account hub"
    );
    let setup = app.get("/us-setup").await;
    assert_eq!(setup.status, Status::Ok);
    assert!(setup.body.contains("Turn off codes by mail"));
}
