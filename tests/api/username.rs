//! Usernames (API-NEXT → Username): the rules at registration and at
//! `/change-username`, sign-in by either identity, `/recover-username`.

use crate::helpers::*;
use app::db::schema::users;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use rocket::figment::Figment;
use rocket::http::Status;
use rocket::serde::json::json;

fn on(f: Figment) -> Figment {
    f.merge(("security.username_enable", true))
        .merge(("security.username_recovery", true))
        .merge(("security.change_username", true))
}

fn specific(f: Figment) -> Figment {
    on(f).merge(("security.generic_responses", false))
}

async fn register_named(app: &TestApp, name: &str) -> (Reply, String) {
    let email = unique_email();
    let body = json!({ "email": email, "password": PASSWORD, "username": name });
    (app.post_json("/register", body).await, email)
}

/// A name no other test uses (the databases are per app, but readable).
fn unique_name(stem: &str) -> String {
    let email = unique_email();
    let digits: String = email.chars().filter(char::is_ascii_digit).collect();
    format!("{stem}{digits}")
}

async fn stored_username(app: &TestApp, email: &str) -> (Option<String>, Option<String>) {
    let id = app.user(email).await.id;
    users::table
        .find(id)
        .select((users::username, users::username_key))
        .first(&mut *app.db().await)
        .await
        .unwrap()
}

#[rocket::async_test]
async fn login_lists_the_username_as_an_identity_only_when_on() {
    let app = spawn_app_with(on).await;
    let reply = app.get_json("/login").await;
    assert_eq!(
        reply.json()["response"]["identity_attributes"],
        json!(["email", "username"])
    );
    let off = spawn_app().await;
    let reply = off.get_json("/login").await;
    assert_eq!(
        reply.json()["response"]["identity_attributes"],
        json!(["email"])
    );
    // Off: no pages, and a username at registration is ignored.
    assert_eq!(
        off.get_json("/recover-username").await.status,
        Status::NotFound
    );
    assert_eq!(
        off.get_json("/change-username").await.status,
        Status::NotFound
    );
    let (reply, email) = register_named(&off, "ignoredname").await;
    assert_eq!(reply.status, Status::Ok, "{}", reply.body);
    assert_eq!(stored_username(&off, &email).await, (None, None));
}

#[rocket::async_test]
async fn a_registered_username_signs_in_ignoring_case_and_so_does_the_email() {
    let app = spawn_app_with(on).await;
    let name = unique_name("Jürgen");
    let (reply, email) = register_named(&app, &format!("  {name} ")).await;
    assert_eq!(reply.status, Status::Ok, "{}", reply.body);
    let (stored, key) = stored_username(&app, &email).await;
    let stored = stored.expect("a username");
    assert_eq!(stored.chars().count(), name.chars().count() + 1, "NFKD");
    assert_eq!(key.expect("a key"), stored.to_lowercase());
    app.logout().await;

    for typed in [name.clone(), name.to_uppercase(), name.to_lowercase()] {
        let client = app.second_browser().await;
        let reply = post_json_as(
            &client,
            "/login",
            json!({ "username": typed, "password": PASSWORD }),
        )
        .await;
        assert_eq!(reply.status, Status::Ok, "{typed}: {}", reply.body);
        assert_eq!(reply.json()["response"]["user"]["email"], email.as_str());
        assert!(reply.json()["response"]["user"]["authentication_token"].is_string());
    }
    // The email still works, and the page's one field takes either.
    assert_eq!(app.login(&email, PASSWORD).await.status, Status::Ok);
    app.logout().await;
    let reply = app
        .post_form("/login", &[("email", &name), ("password", PASSWORD)])
        .await;
    assert_eq!(reply.status, Status::Found, "{}", reply.body);
    let me = app.me().await;
    assert_eq!(me.json()["email"], email.as_str());
    assert_eq!(me.json()["username"], stored.as_str());
}

#[rocket::async_test]
async fn every_rule_is_a_username_field_error_and_creates_no_account() {
    let app = spawn_app_with(on).await;
    let taken = unique_name("taken");
    assert_eq!(register_named(&app, &taken).await.0.status, Status::Ok);
    app.logout().await;
    let length = "Username must be at least 4 characters and less than 32 characters";
    for (name, message) in [
        (
            "<b>bold</b>",
            "Value entered is not valid for the field".to_owned(),
        ),
        (
            "bob smith",
            "Username can contain only letters and numbers".into(),
        ),
        (
            "bob-smith",
            "Username can contain only letters and numbers".into(),
        ),
        (
            "bob_smith",
            "Username can contain only letters and numbers".into(),
        ),
        (
            "bob.smith",
            "Username can contain only letters and numbers".into(),
        ),
        (
            "bob@smith",
            "Username can contain only letters and numbers".into(),
        ),
        (
            "bob😀smith",
            "Username can contain only letters and numbers".into(),
        ),
        ("abc", length.into()),
        (&"a".repeat(33), length.into()),
        (
            &taken.to_uppercase(),
            format!(
                "{} is already associated with an account.",
                taken.to_uppercase()
            ),
        ),
    ] {
        let (reply, email) = register_named(&app, name).await;
        assert_eq!(reply.status, Status::BadRequest, "{name}: {}", reply.body);
        assert_eq!(reply.field_errors("username"), vec![message], "{name}");
        assert!(reply.errors().len() == 1, "{name}: {:?}", reply.errors());
        let mut conn = app.db().await;
        let found = app::accounts::registration::find_user_by_email(
            &mut conn,
            &app::domain::Email::parse(&email).unwrap(),
        )
        .await
        .unwrap();
        assert!(found.is_none(), "{name}: no account");
    }
    // Both ends of the length are allowed; so is a blank (no username).
    for name in [
        "abcd".to_owned(),
        unique_name("b").chars().take(4).collect(),
        "x".repeat(32),
    ] {
        let (reply, _) = register_named(&app, &name).await;
        if name == "abcd" || name.len() == 32 {
            assert_eq!(reply.status, Status::Ok, "{name}: {}", reply.body);
        }
        app.logout().await;
    }
    let (reply, email) = register_named(&app, "   ").await;
    assert_eq!(reply.status, Status::Ok, "{}", reply.body);
    assert_eq!(stored_username(&app, &email).await, (None, None));
}

#[rocket::async_test]
async fn a_wrong_password_or_unknown_username_is_refused_generically_or_specifically() {
    let app = spawn_app_with(specific).await;
    let name = unique_name("carol");
    register_named(&app, &name).await;
    app.logout().await;
    let client = app.second_browser().await;
    let wrong = post_json_as(
        &client,
        "/login",
        json!({ "username": name, "password": "not it at all" }),
    )
    .await;
    assert_eq!(wrong.status, Status::BadRequest);
    assert_eq!(wrong.field_errors("password"), vec!["Invalid password"]);
    let unknown = post_json_as(
        &client,
        "/login",
        json!({ "username": "nobody1234", "password": PASSWORD }),
    )
    .await;
    assert_eq!(unknown.status, Status::BadRequest);
    assert_eq!(
        unknown.field_errors("username"),
        vec!["Specified user does not exist"]
    );

    let generic = spawn_app_with(on).await;
    let client = generic.second_browser().await;
    let unknown = post_json_as(
        &client,
        "/login",
        json!({ "username": "nobody1234", "password": PASSWORD }),
    )
    .await;
    assert_eq!(unknown.status, Status::BadRequest);
    assert_eq!(
        unknown.field_errors(""),
        vec!["Authentication failed - identity or password/passcode invalid"]
    );
    assert!(unknown.field_errors("username").is_empty());
    // Wrong types are field errors, not 500s.
    let odd = post_json_as(
        &client,
        "/login",
        json!({ "username": 12, "password": PASSWORD }),
    )
    .await;
    assert_eq!(odd.status, Status::BadRequest, "{}", odd.body);
}

#[rocket::async_test]
async fn the_username_is_mailed_on_request_and_nothing_tells_who_has_one() {
    let app = spawn_app_with(on).await;
    let name = unique_name("dora");
    let (_, email) = register_named(&app, &name).await;
    app.logout().await;
    let plain = app.existing_user().await;

    let reply = app
        .post_json("/recover-username", json!({ "email": email }))
        .await;
    assert_eq!(reply.status, Status::Ok, "{}", reply.body);
    let mail = app.last_mail_to(&email);
    assert_eq!(mail.subject, "Your requested username");
    assert!(mail.text.contains(&name), "{}", mail.text);
    assert!(mail.html.contains(&name));

    let before = app.outbox().len();
    for other in [plain.clone(), unique_email()] {
        let reply = app
            .post_json("/recover-username", json!({ "email": other }))
            .await;
        assert_eq!(reply.status, Status::Ok, "{}", reply.body);
        assert_eq!(
            reply.json()["response"]
                .as_object()
                .unwrap()
                .keys()
                .collect::<Vec<_>>(),
            vec!["csrf_token"]
        );
    }
    assert_eq!(app.outbox().len(), before, "no mail without a username");
    let bad = app
        .post_json("/recover-username", json!({ "email": "not an address" }))
        .await;
    assert_eq!(bad.status, Status::BadRequest);
    assert_eq!(bad.field_errors("email"), vec!["Invalid email address"]);
    let missing = app.post_json("/recover-username", json!({})).await;
    assert_eq!(missing.field_errors("email"), vec!["Email not provided"]);
    let page = app.get("/recover-username").await;
    assert_eq!(page.status, Status::Ok);
    assert!(page.body.contains("name=\"email\""));
}

#[rocket::async_test]
async fn a_fresh_user_changes_the_username_and_the_address_is_told() {
    let app = spawn_app_with(on).await;
    let old = unique_name("erin");
    let (_, email) = register_named(&app, &old).await;
    let page = app.get_json("/change-username").await;
    assert_eq!(page.status, Status::Ok);
    assert_eq!(page.json()["response"]["current_username"], old.as_str());
    assert_eq!(page.json()["response"]["user"]["email"], email.as_str());

    // Another account's name in another case is refused.
    let theirs = unique_name("frank");
    let other = app.second_browser().await;
    let reg = post_json_as(
        &other,
        "/register",
        json!({ "email": unique_email(), "password": PASSWORD, "username": theirs }),
    )
    .await;
    assert_eq!(reg.status, Status::Ok);
    let refused = app
        .post_json(
            "/change-username",
            json!({ "username": theirs.to_uppercase() }),
        )
        .await;
    assert_eq!(refused.status, Status::BadRequest);
    assert_eq!(
        refused.field_errors("username"),
        vec![format!(
            "{} is already associated with an account.",
            theirs.to_uppercase()
        )]
    );
    for (bad, field_error) in [
        (json!({}), "Username not provided"),
        (
            json!({ "username": "a b c d" }),
            "Username can contain only letters and numbers",
        ),
        (json!({ "username": ["x"] }), "Not a valid string."),
    ] {
        let reply = app.post_json("/change-username", bad.clone()).await;
        assert_eq!(reply.status, Status::BadRequest, "{bad}");
        assert_eq!(reply.field_errors("username"), vec![field_error], "{bad}");
    }

    let new = unique_name("Erin");
    let notices = app.mails_to(&email).len();
    let reply = app
        .post_json("/change-username", json!({ "username": new }))
        .await;
    assert_eq!(reply.status, Status::Ok, "{}", reply.body);
    assert_eq!(reply.json()["response"]["user"]["username"], new.as_str());
    assert!(reply.json()["response"]["csrf_token"].is_string());
    let mails = app.mails_to(&email);
    assert_eq!(mails.len(), notices + 1);
    assert_eq!(
        mails.last().unwrap().subject,
        "Your username has been changed"
    );
    assert!(mails.last().unwrap().text.contains(&new));
    assert_eq!(
        stored_username(&app, &email).await.0.as_deref(),
        Some(new.as_str())
    );

    // The new name signs in, the old one is unknown.
    let client = app.second_browser().await;
    let gone = post_json_as(
        &client,
        "/login",
        json!({ "username": old, "password": PASSWORD }),
    )
    .await;
    assert_eq!(gone.status, Status::BadRequest);
    let ok = post_json_as(
        &client,
        "/login",
        json!({ "username": new, "password": PASSWORD }),
    )
    .await;
    assert_eq!(ok.status, Status::Ok, "{}", ok.body);

    // Its own name in another case is fine.
    let recase = app
        .post_json(
            "/change-username",
            json!({ "username": new.to_lowercase() }),
        )
        .await;
    assert_eq!(recase.status, Status::Ok, "{}", recase.body);

    let mut conn = app.db().await;
    let (_, events) = app::accounts::admin::events(&mut conn, &email, 50)
        .await
        .unwrap();
    let kinds: Vec<String> = events.into_iter().map(|e| e.kind).collect();
    assert!(kinds.contains(&"username_changed".to_owned()), "{kinds:?}");
}

#[rocket::async_test]
async fn changing_the_username_needs_a_fresh_sign_in() {
    let app = spawn_app_with(on).await;
    assert_eq!(
        app.get_json("/change-username").await.status,
        Status::Unauthorized
    );
    let reply = app
        .post_json("/change-username", json!({ "username": "someone" }))
        .await;
    assert_eq!(reply.status, Status::Unauthorized);
    assert!(reply.json()["response"]["reauth_required"].is_null());

    let stale = spawn_app_with(|f| on(f).merge(("security.freshness", "1s"))).await;
    let (_, email) = register_named(&stale, &unique_name("gail")).await;
    rocket::tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let reply = stale
        .post_json("/change-username", json!({ "username": unique_name("h") }))
        .await;
    assert_eq!(reply.status, Status::Unauthorized);
    assert_eq!(reply.json()["response"]["reauth_required"], true);
    assert_eq!(stale.me().await.status, Status::Ok, "still signed in");
    let _ = email;
}

#[rocket::async_test]
async fn the_options_need_usernames_on() {
    for key in ["security.username_recovery", "security.change_username"] {
        let dir = tempfile::tempdir().unwrap();
        let figment = test_figment(&dir).await.merge((key, true));
        assert!(launch_fails(figment).await, "{key}");
    }
}
