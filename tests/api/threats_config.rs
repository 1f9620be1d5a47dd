//! Security review, classes 7 to 10 (README "Security review"): safe
//! defaults without a config file, `next` values that cannot break a
//! redirect, a hashing cost that cannot be weakened, and no secret in a
//! readable cookie or a log line.

use crate::helpers::*;
use rocket::http::{ContentType, Header, Status};
use rocket::local::asynchronous::Client;
use rocket::serde::json::json;

#[rocket::async_test]
async fn without_rocket_toml_the_client_ip_header_is_not_trusted() {
    let figment = app::figment_from_file("/nonexistent/Rocket.toml");
    let config = rocket::Config::from(&figment);
    assert!(config.ip_header.is_none(), "{:?}", config.ip_header);
    assert!(rocket::Config::from(app::figment()).ip_header.is_none());

    // The same app, served from that figment: a forged X-Real-IP is ignored
    // by login tracking and rate limits alike.
    let dir = tempfile::tempdir().unwrap();
    let tests = test_figment(&dir).await;
    let figment = app::figment_from_file("/nonexistent/Rocket.toml")
        .merge(tests.clone())
        .merge(("template_dir", "templates/pages"));
    let client = Client::tracked(app::rocket_from(figment)).await.unwrap();
    let token = csrf_of(&client).await;
    let email = unique_email();
    let request = client
        .post("/register")
        .header(ContentType::JSON)
        .header(Header::new("X-CSRF-Token", token))
        .header(Header::new("X-Real-IP", "198.51.100.1"))
        .body(json!({ "email": email, "password": PASSWORD }).to_string());
    let reply = read(from_ip(request, "203.0.113.9").dispatch().await).await;
    assert_eq!(reply.status, Status::Ok, "{}", reply.body);
    let me = read(
        client
            .get("/api/me")
            .header(Header::new("Accept", "application/json"))
            .dispatch()
            .await,
    )
    .await;
    assert_eq!(me.json()["current_login_ip"], "203.0.113.9");
}

#[rocket::async_test]
async fn an_operator_can_still_name_a_proxy_header() {
    let app = spawn_app_with(|f| f.merge(("ip_header", "X-Real-IP"))).await;
    let token = app.csrf_token().await;
    let request = app
        .client
        .post("/register")
        .header(ContentType::JSON)
        .header(Header::new("X-CSRF-Token", token))
        .header(Header::new("X-Real-IP", "198.51.100.1"))
        .body(json!({ "email": unique_email(), "password": PASSWORD }).to_string());
    assert_eq!(
        from_ip(request, "203.0.113.9").dispatch().await.status(),
        Status::Ok
    );
    assert_eq!(app.me().await.json()["current_login_ip"], "198.51.100.1");
}

/// `next` values that pass a naive "starts with one slash" check but are
/// no URI Rocket can redirect to, or lead to another host once decoded.
const BAD_NEXT: [&str; 8] = [
    "/<script>",
    "/\"x",
    "/\u{ff0f}\u{ff0f}evil.example",
    "/a b",
    "//evil.example",
    "/\\evil.example",
    "/%2F%2Fevil.example",
    "https://evil.example/",
];

fn query(next: &str) -> String {
    rocket::http::RawStr::new(next).percent_encode().to_string()
}

#[rocket::async_test]
async fn next_values_that_cannot_be_a_location_are_refused_never_a_500() {
    let app = spawn_app().await;
    let email = app.existing_user().await;
    for next in BAD_NEXT {
        // JSON, in the body and in the query.
        let reply = app
            .post_json(
                "/login",
                json!({ "email": email, "password": PASSWORD, "next": next }),
            )
            .await;
        assert_eq!(reply.status, Status::BadRequest, "{next:?}: {}", reply.body);
        assert_eq!(
            reply.field_errors("next"),
            vec!["Redirections outside the domain are forbidden"]
        );
        let path = format!("/login?next={}", query(next));
        let reply = app
            .post_json(&path, json!({ "email": email, "password": PASSWORD }))
            .await;
        assert_eq!(reply.status, Status::BadRequest, "{next:?}: {}", reply.body);
        assert_eq!(app.me().await.status, Status::Unauthorized, "not signed in");
        // A form: the page again, with the error.
        let page = app
            .post_form(&path, &[("email", &email), ("password", PASSWORD)])
            .await;
        assert_eq!(page.status, Status::Ok, "{next:?}");
        assert!(page
            .body
            .contains("Redirections outside the domain are forbidden"));
        // Registration refuses it the same way.
        let reply = app
            .post_json(
                "/register",
                json!({ "email": unique_email(), "password": PASSWORD, "next": next }),
            )
            .await;
        assert_eq!(reply.status, Status::BadRequest, "{next:?}");
        // The sign-in page ignores it.
        assert_eq!(app.get(&path).await.status, Status::Ok);
    }
    // Signed in, a bad next on the sign-in page falls back to the default.
    app.login(&email, PASSWORD).await;
    for next in BAD_NEXT {
        app.get(&format!("/login?next={}", query(next)))
            .await
            .assert_redirect_to("/");
    }
    // A good one, with an encoded query, is followed.
    app.logout().await;
    let next = "/account?tab=a%20b";
    let reply = app
        .post_form(
            &format!("/login?next={}", query(next)),
            &[("email", &email), ("password", PASSWORD)],
        )
        .await;
    reply.assert_redirect_to(next);
}

#[rocket::async_test]
async fn a_post_view_that_is_no_local_path_stops_the_launch() {
    let dir = tempfile::tempdir().unwrap();
    for bad in ["/a b", "/<x>", "//evil.example", "https://evil.example"] {
        let figment = test_figment(&dir)
            .await
            .merge(("security.post_login_view", bad));
        assert!(launch_fails(figment).await, "{bad:?} launched");
    }
}

fn release(dir_url: String) -> rocket::figment::Figment {
    app::figment()
        .select("release")
        .merge(("security", default_flags()))
        .merge(("log_level", "off"))
        .merge(("databases.app.url", dir_url))
        .merge(("secret_key", SECRET_KEY))
        .merge(("security.public_url", "https://example.com"))
        .merge(("mail.transport", "smtp"))
        .merge(("mail.smtp_url", "smtp://127.0.0.1:2525"))
}

#[rocket::async_test]
async fn release_builds_refuse_a_hashing_cost_below_owasps_minimum() {
    let dir = tempfile::tempdir().unwrap();
    let url: String = test_figment(&dir)
        .await
        .extract_inner("databases.app.url")
        .unwrap();
    for (m, t) in [(8, 1), (19455, 2), (19456, 1), (47103, 1), (7167, 9)] {
        let weak = release(url.clone()).merge((
            "security.argon2",
            json!({ "memory_kib": m, "iterations": t, "parallelism": 1 }),
        ));
        assert!(launch_fails(weak).await, "m={m} t={t}");
    }
    for (m, t) in [(19456, 2), (47104, 1), (7168, 5), (65536, 3)] {
        let strong = release(url.clone()).merge((
            "security.argon2",
            json!({ "memory_kib": m, "iterations": t, "parallelism": 1 }),
        ));
        assert!(
            Client::tracked(app::rocket_from(strong)).await.is_ok(),
            "m={m} t={t}"
        );
    }
    // The message names the key.
    let config = app::config::Argon2Config {
        memory_kib: 64,
        iterations: 1,
        parallelism: 1,
    };
    let error = config.validate_for_release().unwrap_err();
    assert!(error.contains("security.argon2.memory_kib"), "{error}");
    // The CLI, which hashes too, refuses the same.
    let weak = release(url).merge((
        "security.argon2",
        json!({ "memory_kib": 64, "iterations": 1, "parallelism": 1 }),
    ));
    let command = app::cli::Command::Roles(app::cli::RolesCommand::List);
    let error = app::cli::run(command, &weak).await.unwrap_err();
    assert!(error.contains("security.argon2"), "{error}");
}

fn argon2(memory_kib: u32) -> impl FnOnce(rocket::figment::Figment) -> rocket::figment::Figment {
    move |f: rocket::figment::Figment| {
        f.merge((
            "security.argon2",
            json!({ "memory_kib": memory_kib, "iterations": 1, "parallelism": 1 }),
        ))
    }
}

#[rocket::async_test]
async fn signing_in_re_hashes_upward_only() {
    let app = spawn_app_with(argon2(128)).await;
    let email = app.existing_user().await;
    let strong = app.user(&email).await.password_hash;
    assert!(strong.contains("m=128,"), "{strong}");

    let weaker = app.relaunch_with(argon2(64)).await;
    assert_eq!(
        post_json_as(
            &weaker,
            "/login",
            json!({ "email": email, "password": PASSWORD })
        )
        .await
        .status,
        Status::Ok
    );
    assert_eq!(
        app.user(&email).await.password_hash,
        strong,
        "not downgraded"
    );

    let stronger = app.relaunch_with(argon2(256)).await;
    post_json_as(
        &stronger,
        "/login",
        json!({ "email": email, "password": PASSWORD }),
    )
    .await;
    let upgraded = app.user(&email).await.password_hash;
    assert!(upgraded.contains("m=256,"), "{upgraded}");
    // Basic sign-ins follow the same rule.
    let basic_reply = app
        .get_without_cookies("/api/me", vec![basic(&email, PASSWORD)])
        .await;
    assert_eq!(basic_reply.status, Status::Ok);
    assert_eq!(app.user(&email).await.password_hash, upgraded);
}

#[rocket::async_test]
async fn flash_messages_are_kept_in_the_private_session_cookie_only() {
    let app = spawn_app().await;
    let email = app.existing_user().await;
    let reply = app.post_form("/reset", &[("email", &email)]).await;
    reply.assert_redirect_to("/login");
    assert!(reply.cookie("_flash").is_none(), "no readable flash cookie");
    for cookie in &reply.set_cookies {
        assert!(!cookie.value().contains("example.com"), "{cookie}");
        assert_eq!(cookie.http_only(), Some(true), "{cookie}");
    }
    let page = app.get("/login").await;
    assert!(page.body.contains(&format!(
        "If an account exists for {email}, we sent it a link to choose a new password."
    )));
    let again = app.get("/login").await;
    assert!(
        !again.body.contains("link to choose a new password"),
        "shown once"
    );
}

#[rocket::async_test]
async fn request_logs_never_show_tokens() {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().unwrap();
    // A fresh database of the backend under test.
    let db: String = test_figment(&dir)
        .await
        .extract_inner("databases.app.url")
        .unwrap();
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let mut server = Command::new(env!(concat!("CARGO_BIN_EXE_", env!("CARGO_PKG_NAME"))))
        .env("ROCKET_PORT", port.to_string())
        .env("ROCKET_LOG_LEVEL", "normal")
        .env("ROCKET_DATABASES", format!("{{app={{url=\"{db}\"}}}}"))
        .env(
            "ROCKET_SECURITY",
            "{argon2={memory_kib=64,iterations=1,parallelism=1}}",
        )
        .stdout(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut out = BufReader::new(server.stdout.take().unwrap());
    let mut line = String::new();
    while out.read_line(&mut line).unwrap() > 0 && !line.contains("launched") {
        line.clear();
    }
    let secret = "q3Vh0xTtJmVtbF6dpYhZtQ2a1Zi-wGv_oM7YcR4bN8s";
    for path in [
        format!("/api/me?auth_token={secret}"),
        format!("/reset/{secret}"),
        format!("/login/{secret}"),
        format!("/confirm/{secret}"),
        "/api/me?auth_token=short".to_owned(),
    ] {
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut reply = String::new();
        let _ = stream.read_to_string(&mut reply);
    }
    server.kill().unwrap();
    let mut log = String::new();
    out.read_to_string(&mut log).unwrap();
    let _ = server.wait();
    assert!(log.contains("GET /api/me"), "requests are logged: {log}");
    assert!(!log.contains(secret), "{log}");
    assert!(!log.contains("auth_token=short"), "{log}");
}
