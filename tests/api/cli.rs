//! The admin CLI, run as a process against the test database.

use crate::helpers::*;
use rocket::http::{Header, Status};
use std::process::Command;

struct Run {
    ok: bool,
    stdout: String,
    stderr: String,
}

fn cli(app: &TestApp, args: &[&str]) -> Run {
    let url: String = app.figment.extract_inner("databases.app.url").unwrap();
    // The binary is named after the package, whatever a generated project calls it.
    let output = Command::new(env!(concat!("CARGO_BIN_EXE_", env!("CARGO_PKG_NAME"))))
        .args(args)
        .env("ROCKET_DATABASES", format!("{{app={{url=\"{url}\"}}}}"))
        .env(
            "ROCKET_SECURITY",
            // English, whatever locale the project chose.
            "{argon2={memory_kib=64,iterations=1,parallelism=1},default_locale=\"en\"}",
        )
        .output()
        .expect("the binary runs");
    Run {
        ok: output.status.success(),
        stdout: String::from_utf8_lossy(&output.stdout).trim().to_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).trim().to_owned(),
    }
}

#[track_caller]
fn fails_with(run: Run, message: &str) {
    assert!(!run.ok, "succeeded: {}", run.stdout);
    assert_eq!(run.stderr.lines().count(), 1, "one line: {}", run.stderr);
    assert!(
        run.stderr.contains(message),
        "{:?} does not say {message:?}",
        run.stderr
    );
}

#[rocket::async_test]
async fn users_and_roles_are_created_from_the_command_line() {
    let app = spawn_app().await;
    let run = cli(
        &app,
        &[
            "roles",
            "create",
            "admin",
            "--description",
            "Runs the place",
        ],
    );
    assert!(run.ok, "{}", run.stderr);
    assert_eq!(run.stdout, "created role admin");
    assert!(cli(&app, &["roles", "create", "editor"]).ok);
    assert_eq!(
        cli(&app, &["roles", "list"]).stdout,
        "admin\tRuns the place\neditor"
    );

    let run = cli(
        &app,
        &[
            "users",
            "create",
            "Boss@Example.com",
            "--password",
            PASSWORD,
            "--role",
            "admin",
            "--confirmed",
        ],
    );
    assert!(run.ok, "{}", run.stderr);
    assert!(
        run.stdout.starts_with("created user Boss@example.com"),
        "{}",
        run.stdout
    );
    let user = app.user("boss@example.com").await;
    assert!(user.confirmed_at.is_some() && user.active);

    assert_eq!(
        app.login("boss@example.com", PASSWORD).await.status,
        Status::Ok
    );
    assert_eq!(app.get_json("/api/admin").await.status, Status::Ok);

    assert!(cli(&app, &["roles", "add", "boss@example.com", "editor"]).ok);
    assert!(cli(&app, &["roles", "remove", "boss@example.com", "admin"]).ok);
    // The CLI is another process: the server hears of it through the database.
    let admin = || app.get_json("/api/admin");
    assert_eq!(
        within_a_second(admin, Status::Forbidden).await.status,
        Status::Forbidden
    );
    assert_eq!(app.get_json("/api/staff").await.status, Status::Ok);

    assert!(
        cli(
            &app,
            &[
                "users",
                "create",
                "quiet@example.com",
                "--password",
                PASSWORD,
                "--inactive"
            ]
        )
        .ok
    );
    assert!(!app.user("quiet@example.com").await.active);
}

#[rocket::async_test]
async fn deactivate_revoke_and_change_password_end_every_session_and_token() {
    let app = spawn_app().await;
    let email = app.existing_user().await;
    let with_token = |token: String| {
        app.get_without_cookies("/api/me", vec![Header::new("Authentication-Token", token)])
    };

    // Registering issued a token, signing in a session and another token.
    let token = app.login_token(&email).await;
    let run = cli(&app, &["users", "revoke", &email]);
    assert!(
        run.ok && run.stdout.starts_with("revoked 3 sessions and tokens"),
        "{}",
        run.stdout
    );
    assert_eq!(with_token(token).await.status, Status::Unauthorized);
    assert_eq!(app.me().await.status, Status::Unauthorized);

    let token = app.login_token(&email).await;
    assert!(cli(&app, &["users", "deactivate", &email]).ok);
    assert_eq!(with_token(token.clone()).await.status, Status::Unauthorized);
    assert_eq!(app.login(&email, PASSWORD).await.status, Status::BadRequest);
    assert!(cli(&app, &["users", "activate", &email]).ok);
    assert_eq!(
        with_token(token).await.status,
        Status::Unauthorized,
        "reactivating does not revive tokens"
    );

    let token = app.login_token(&email).await;
    assert!(
        cli(
            &app,
            &[
                "users",
                "change-password",
                &email,
                "--password",
                "a fresh secret!"
            ]
        )
        .ok
    );
    assert_eq!(with_token(token).await.status, Status::Unauthorized);
    assert_eq!(
        app.login(&email, "a fresh secret!").await.status,
        Status::Ok
    );
}

#[rocket::async_test]
async fn every_cli_error_is_one_clear_line() {
    let app = spawn_app().await;
    let email = app.existing_user().await;
    fails_with(
        cli(
            &app,
            &[
                "users",
                "create",
                &email.to_uppercase(),
                "--password",
                PASSWORD,
            ],
        ),
        "already associated",
    );
    fails_with(
        cli(
            &app,
            &["users", "create", "new@example.com", "--password", "short"],
        ),
        "at least 8 characters",
    );
    fails_with(
        cli(
            &app,
            &["users", "create", "not-an-email", "--password", PASSWORD],
        ),
        "invalid email address",
    );
    fails_with(
        cli(
            &app,
            &[
                "users",
                "create",
                "new@example.com",
                "--password",
                PASSWORD,
                "--role",
                "ghost",
            ],
        ),
        "no role named ghost",
    );
    fails_with(
        cli(&app, &["users", "activate", "nobody@example.com"]),
        "no user with email nobody@example.com",
    );
    fails_with(
        cli(&app, &["users", "revoke", "nobody@example.com"]),
        "no user",
    );
    fails_with(
        cli(
            &app,
            &["users", "change-password", &email, "--password", "short"],
        ),
        "at least 8 characters",
    );
    fails_with(
        cli(&app, &["roles", "add", &email, "ghost"]),
        "no role named ghost",
    );
    assert!(cli(&app, &["roles", "create", "admin"]).ok);
    fails_with(
        cli(&app, &["roles", "create", "admin"]),
        "role admin already exists",
    );
    fails_with(
        cli(&app, &["roles", "create", "two words"]),
        "without spaces",
    );
    fails_with(
        cli(&app, &["roles", "remove", &email, "admin"]),
        "does not have role admin",
    );
    let mut conn = app.db().await;
    assert!(
        app::models::user::find_by_email_key(&mut conn, "new@example.com")
            .await
            .unwrap()
            .is_none(),
        "nothing half-created"
    );
    let usage = cli(&app, &["users", "frobnicate"]);
    assert!(!usage.ok && usage.stderr.contains("unrecognized subcommand"));
}

#[rocket::async_test]
async fn two_factor_can_be_turned_off_and_recovery_codes_remade_from_the_command_line() {
    use crate::recovery_codes::{app_with_codes, user_with_authenticator};
    use rocket::serde::json::json;
    let app = app_with_codes().await;
    let email = user_with_authenticator(&app).await;
    let run = cli(&app, &["users", "recovery-codes", &email]);
    assert!(run.ok, "{}", run.stderr);
    let codes: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(codes.len(), 5, "{}", run.stdout);
    let shown = app.get_json("/mf-recovery-codes").await;
    assert_eq!(shown.json()["response"]["recovery_codes"], json!(codes));

    let run = cli(&app, &["users", "two-factor", "disable", &email]);
    assert!(run.ok, "{}", run.stderr);
    assert_eq!(run.stdout, format!("turned two-factor off for {email}"));
    app.logout().await;
    let signed_in = app.login(&email, PASSWORD).await;
    assert!(signed_in.json()["response"]["user"]["authentication_token"].is_string());
    let again = cli(&app, &["users", "two-factor", "disable", &email]);
    assert_eq!(again.stdout, format!("{email} had no two-factor sign-in"));
    fails_with(
        cli(
            &app,
            &["users", "two-factor", "disable", "nobody@example.com"],
        ),
        "no user with email nobody@example.com",
    );
    let events = cli(&app, &["users", "events", &email]).stdout;
    assert!(events.contains("two_factor_disabled") && events.contains("recovery_codes_generated"));
}

#[rocket::async_test]
async fn users_passkeys_lists_and_removes_a_users_keys() {
    let app = crate::webauthn::passkey_app().await;
    let email = app.existing_user().await;
    let none = cli(&app, &["users", "passkeys", &email]);
    assert!(none.ok, "{}", none.stderr);
    assert_eq!(none.stdout, format!("{email} has no passkeys"));
    app.login(&email, PASSWORD).await;
    crate::webauthn::register_key(&app, "Work laptop", "first").await;
    crate::webauthn::register_key(&app, "YubiKey", "secondary").await;
    let listed = cli(&app, &["users", "passkeys", &email]);
    let lines: Vec<&str> = listed.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", listed.stdout);
    assert!(
        lines[0].starts_with("Work laptop\tfirst\t20"),
        "{}",
        lines[0]
    );
    assert!(lines[1].starts_with("YubiKey\tsecondary\t"));
    let removed = cli(&app, &["users", "passkeys", &email, "--remove", "YubiKey"]);
    assert!(removed.ok, "{}", removed.stderr);
    assert_eq!(
        removed.stdout,
        format!("removed the passkey \"YubiKey\" of {email}")
    );
    let keys =
        app.get_json("/wan-register").await.json()["response"]["registered_credentials"].clone();
    assert_eq!(keys.as_array().unwrap().len(), 1);
    fails_with(
        cli(&app, &["users", "passkeys", &email, "--remove", "Tablet"]),
        "has no passkey named \"Tablet\"",
    );
    assert!(cli(&app, &["users", "events", &email])
        .stdout
        .contains("passkey_deleted"));
}

#[rocket::async_test]
async fn users_identities_lists_and_disconnects_a_users_providers() {
    let app = spawn_app().await;
    let email = app.existing_user().await;
    let none = cli(&app, &["users", "identities", &email]);
    assert!(none.ok, "{}", none.stderr);
    assert_eq!(none.stdout, format!("{email} has no connected providers"));
    let user = app.user(&email).await;
    let at = time::macros::datetime!(2026-11-30 12:00);
    let mut conn = app.db().await;
    app::models::oauth::link(
        &mut conn,
        user.id,
        "corp",
        "sub-1",
        "at-corp@example.com",
        at,
    )
    .await
    .unwrap();
    drop(conn);
    let listed = cli(&app, &["users", "identities", &email]);
    assert_eq!(
        listed.stdout,
        "corp\tat-corp@example.com\t2026-11-30T12:00:00Z\t2026-11-30T12:00:00Z"
    );
    let removed = cli(&app, &["users", "identities", &email, "--remove", "corp"]);
    assert!(removed.ok, "{}", removed.stderr);
    assert_eq!(
        removed.stdout,
        format!("disconnected \"corp\" from {email}")
    );
    let mut conn = app.db().await;
    assert!(app::models::oauth::of_user(&mut conn, user.id)
        .await
        .unwrap()
        .is_empty());
    drop(conn);
    fails_with(
        cli(&app, &["users", "identities", &email, "--remove", "corp"]),
        "has no \"corp\" identity",
    );
    assert!(cli(&app, &["users", "events", &email])
        .stdout
        .contains("oauth_unlinked"));
}
