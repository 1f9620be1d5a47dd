//! Password strength (API-NEXT → Password strength): zxcvbn on register,
//! change, reset and the command line, with the account's own words; the
//! breached check against a Have I Been Pwned stub on loopback, reachable,
//! failing and silent.

use crate::helpers::*;
use rocket::figment::Figment;
use rocket::http::Status;
use rocket::serde::json::json;
use sha1::{Digest, Sha1};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

const WEAK: &str = "password123";
const STRONG: &str = "plinth marzipan gallows quietude";
const LEAKED: &str = "tangerine oxbow lantern 1987";

fn zxcvbn(f: Figment) -> Figment {
    f.merge(("security.password_complexity", "zxcvbn"))
}

fn sha1_hex(text: &str) -> String {
    Sha1::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect()
}

#[rocket::async_test]
async fn registration_refuses_a_weak_password_and_the_own_email() {
    let app = spawn_app_with(zxcvbn).await;
    let email = unique_email();
    let reply = app.register(&email, WEAK).await;
    assert_eq!(reply.status, Status::BadRequest, "{}", reply.body);
    let errors = reply.field_errors("password");
    assert_eq!(errors.len(), 1, "{}", reply.body);
    assert!(!errors[0].is_empty());
    assert!(!app.user_exists(&email).await, "no account");

    let own = "quintessa.vandermolen@example.com";
    let reply = app.register(own, own).await;
    assert_eq!(reply.status, Status::BadRequest, "{}", reply.body);
    assert!(!app.user_exists(own).await);

    assert_eq!(app.register(&email, STRONG).await.status, Status::Ok);
    assert!(app.user_exists(&email).await);
}

#[rocket::async_test]
async fn the_page_shows_the_weakness_beside_the_field() {
    let app = spawn_app_with(zxcvbn).await;
    let email = unique_email();
    let warning = app.register(&email, WEAK).await.field_errors("password")[0].clone();
    let csrf = app.csrf_token().await;
    let page = app
        .post_form(
            "/register",
            &[
                ("email", &email),
                ("password", WEAK),
                ("password_confirm", WEAK),
                ("csrf_token", &csrf),
            ],
        )
        .await;
    // The form again (as every form error), zxcvbn's words beside the field.
    assert_eq!(page.status, Status::Ok);
    assert!(page.body.contains("<form"), "{}", page.body);
    assert!(page.body.contains(&warning), "{warning:?} in {}", page.body);
    assert!(!app.user_exists(&email).await);
}

#[rocket::async_test]
async fn a_change_to_a_weak_password_is_refused_and_the_old_one_stays() {
    let app = spawn_app_with(zxcvbn).await;
    let email = app.existing_user().await;
    app.login(&email, PASSWORD).await;
    let reply = app
        .post_json(
            "/change",
            json!({ "password": PASSWORD, "new_password": WEAK, "new_password_confirm": WEAK }),
        )
        .await;
    assert_eq!(reply.status, Status::BadRequest, "{}", reply.body);
    assert_eq!(
        reply.field_errors("new_password").len(),
        1,
        "{}",
        reply.body
    );
    let own = json!({ "password": PASSWORD, "new_password": email, "new_password_confirm": email });
    let reply = app.post_json("/change", own).await;
    assert_eq!(
        reply.field_errors("new_password").len(),
        1,
        "{}",
        reply.body
    );

    app.logout().await;
    assert_eq!(app.login(&email, PASSWORD).await.status, Status::Ok);
}

#[rocket::async_test]
async fn a_reset_link_survives_a_refused_weak_password() {
    let app = spawn_app_with(zxcvbn).await;
    let email = app.existing_user().await;
    app.post_json("/reset", json!({ "email": email })).await;
    let link = link_in(&app.last_mail_to(&email), "/reset/");
    let weak = json!({ "password": WEAK, "password_confirm": WEAK });
    let reply = app.post_json(&link, weak).await;
    assert_eq!(reply.status, Status::BadRequest, "{}", reply.body);
    assert_eq!(reply.field_errors("password").len(), 1);
    assert_eq!(app.login(&email, PASSWORD).await.status, Status::Ok);
    app.logout().await;

    let strong = json!({ "password": STRONG, "password_confirm": STRONG });
    let reply = app.post_json(&link, strong).await;
    assert_eq!(
        reply.status,
        Status::Ok,
        "the link still works: {}",
        reply.body
    );
    app.logout().await;
    assert_eq!(app.login(&email, STRONG).await.status, Status::Ok);
}

/// A stand-in for the range API on loopback: lists `LEAKED` (3 sightings)
/// among padding, or answers `status`; records each request's first line
/// and headers.
struct Stub {
    url: String,
    seen: Arc<Mutex<Vec<String>>>,
}

fn stub(status: u16) -> Stub {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let hash = sha1_hex(LEAKED);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request = String::new();
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                request.push_str(&line);
            }
            log.lock().unwrap().push(request.clone());
            let prefix = request
                .split_whitespace()
                .nth(1)
                .and_then(|path| path.strip_prefix("/range/"))
                .unwrap_or("")
                .to_owned();
            let mut body = String::from("0000000000000000000000000000000000A:0\r\n");
            if prefix == hash[..5] {
                body.push_str(&format!("{}:3\r\n", &hash[5..]));
            }
            let reply = format!(
                "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(reply.as_bytes());
        }
    });
    Stub { url, seen }
}

fn breached(mode: &str, url: &str) -> impl FnOnce(Figment) -> Figment {
    let (mode, url) = (mode.to_owned(), url.to_owned());
    move |f| {
        f.merge(("security.password_check_breached", mode))
            .merge(("security.password_breached_url", url))
            .merge(("security.password_breached_timeout", "500ms"))
    }
}

#[rocket::async_test]
async fn a_breached_password_is_refused_and_only_a_prefix_leaves() {
    let service = stub(200);
    let app = spawn_app_with(breached("best_effort", &service.url)).await;
    let email = unique_email();
    let reply = app.register(&email, LEAKED).await;
    assert_eq!(reply.status, Status::BadRequest, "{}", reply.body);
    assert_eq!(
        reply.field_errors("password"),
        vec!["Password on breached list"]
    );
    assert!(!app.user_exists(&email).await);
    assert_eq!(app.register(&email, STRONG).await.status, Status::Ok);

    let seen = service.seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 2, "{seen:?}");
    let leaked = sha1_hex(LEAKED);
    for request in &seen {
        assert!(request.starts_with("GET /range/"), "{request}");
        assert!(request.to_ascii_lowercase().contains("add-padding: true"));
        assert!(
            !request.contains(&leaked[5..]),
            "the rest of the hash stays here"
        );
    }
    assert!(seen[0].starts_with(&format!("GET /range/{} ", &leaked[..5])));
}

#[rocket::async_test]
async fn an_unreachable_service_is_refused_when_strict_and_ignored_when_not() {
    // A port nobody listens on.
    let closed = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", listener.local_addr().unwrap())
    };
    let lenient = spawn_app_with(breached("best_effort", &closed)).await;
    assert_eq!(
        lenient.register(&unique_email(), LEAKED).await.status,
        Status::Ok,
        "best effort: accepted"
    );
    let strict = spawn_app_with(breached("strict", &closed)).await;
    let reply = strict.register(&unique_email(), STRONG).await;
    assert_eq!(reply.status, Status::BadRequest, "{}", reply.body);
    assert_eq!(
        reply.field_errors("password"),
        vec!["Failed to contact breached passwords site"]
    );

    let failing = stub(503);
    let strict = spawn_app_with(breached("strict", &failing.url)).await;
    let reply = strict.register(&unique_email(), STRONG).await;
    assert_eq!(reply.status, Status::BadRequest, "a 503 is no answer");

    // A service that accepts the connection and never answers.
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let silent_url = format!("http://{}", silent.local_addr().unwrap());
    let strict = spawn_app_with(breached("strict", &silent_url)).await;
    let started = std::time::Instant::now();
    let reply = strict.register(&unique_email(), STRONG).await;
    assert_eq!(reply.status, Status::BadRequest);
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    drop(silent);
}

#[rocket::async_test]
async fn bad_settings_refuse_to_launch() {
    for (key, value) in [
        ("password_check_breached", json!(true)),
        ("password_check_breached", json!("sometimes")),
        ("password_complexity", json!("zxcvbm")),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let figment = test_figment(&dir)
            .await
            .merge((format!("security.{key}"), value.clone()));
        assert!(launch_fails(figment).await, "{key} = {value}");
    }
    let dir = tempfile::tempdir().unwrap();
    let figment = test_figment(&dir)
        .await
        .merge(("security.password_check_breached", "strict"))
        .merge(("security.password_breached_url", "ftp://example.com"));
    assert!(launch_fails(figment).await);
}

#[rocket::async_test]
async fn the_command_line_refuses_a_weak_password() {
    let app = spawn_app().await;
    let url: String = app.figment.extract_inner("databases.app.url").unwrap();
    let run = std::process::Command::new(env!(concat!("CARGO_BIN_EXE_", env!("CARGO_PKG_NAME"))))
        .args(["users", "create", "cli@example.com", "--password", WEAK])
        .env("ROCKET_DATABASES", format!("{{app={{url=\"{url}\"}}}}"))
        .env(
            "ROCKET_SECURITY",
            "{argon2={memory_kib=64,iterations=1,parallelism=1},password_complexity=\"zxcvbn\",default_locale=\"en\"}",
        )
        .output()
        .unwrap();
    assert!(!run.status.success());
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("password refused"), "{stderr}");
    assert!(!app.user_exists("cli@example.com").await);
}
