//! Bad input and concurrency: thousands of malformed requests never get a
//! 5xx, and racing requests leave exactly the rows they should.

use crate::helpers::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rocket::futures::future::join_all;
use rocket::http::{ContentType, Cookie, Header, Status};
use rocket::serde::json::{json, Value};

fn random_text(rng: &mut StdRng) -> String {
    const PIECES: &[&str] = &[
        "a@example.com",
        "@",
        "%",
        "%00",
        "%ZZ",
        "\u{0}",
        "é",
        "💥",
        "\"",
        "'",
        "<script>",
        "../",
        "\\",
        " ",
        "\n",
        "&",
        "=",
        "+",
        "{",
        "}",
        "[",
        "]",
        "null",
        "true",
        "-1",
        "9999999999999999999999",
    ];
    let mut text = String::new();
    for _ in 0..rng.gen_range(0..6) {
        if rng.gen_bool(0.5) {
            text.push_str(PIECES[rng.gen_range(0..PIECES.len())]);
        } else {
            let len = rng.gen_range(0..40);
            text.extend((0..len).map(|_| rng.gen_range(' '..='~')));
        }
    }
    if rng.gen_bool(0.02) {
        text.push_str(&"x".repeat(rng.gen_range(1000..70_000)));
    }
    text
}

fn random_json(rng: &mut StdRng, depth: u32) -> Value {
    match rng.gen_range(0..if depth > 3 { 5 } else { 7 }) {
        0 => Value::Null,
        1 => json!(rng.gen::<bool>()),
        2 => json!(rng.gen::<i64>()),
        3 => json!(rng.gen::<f64>()),
        4 => json!(random_text(rng)),
        5 => Value::Array(
            (0..rng.gen_range(0..4))
                .map(|_| random_json(rng, depth + 1))
                .collect(),
        ),
        _ => {
            const FIELDS: &[&str] = &[
                "email",
                "password",
                "password_confirm",
                "remember",
                "next",
                "new_password",
                "new_password_confirm",
                "csrf_token",
                "display_name",
                "username",
                "identity",
                "passcode",
                "chosen_method",
                "delete_method",
                "code",
                "provider",
                "state",
            ];
            let mut map = serde_json::Map::new();
            for _ in 0..rng.gen_range(0..6) {
                let key = if rng.gen_bool(0.8) {
                    FIELDS[rng.gen_range(0..FIELDS.len())].to_owned()
                } else {
                    random_text(rng)
                };
                map.insert(key, random_json(rng, depth + 1));
            }
            Value::Object(map)
        }
    }
}

fn random_body(rng: &mut StdRng) -> (Option<ContentType>, Vec<u8>) {
    match rng.gen_range(0..6) {
        0 => (
            Some(ContentType::JSON),
            random_json(rng, 0).to_string().into_bytes(),
        ),
        1 => (
            Some(ContentType::JSON),
            random_json(rng, 0)
                .to_string()
                .into_bytes()
                .into_iter()
                .take(rng.gen_range(0..50))
                .collect(),
        ),
        2 => {
            let pairs: Vec<String> = (0..rng.gen_range(0..5))
                .map(|_| format!("{}={}", random_text(rng), random_text(rng)))
                .collect();
            (Some(ContentType::Form), pairs.join("&").into_bytes())
        }
        3 => (
            Some(ContentType::Form),
            (0..rng.gen_range(0..64)).map(|_| rng.gen()).collect(),
        ),
        4 => (
            Some(ContentType::JSON),
            (0..rng.gen_range(0..64)).map(|_| rng.gen()).collect(),
        ),
        _ => (None, random_text(rng).into_bytes()),
    }
}

#[rocket::async_test]
async fn thousands_of_malformed_requests_get_no_server_error() {
    let issuer = crate::oauth_forger::forger().tenant();
    let app = spawn_app_with(|f| {
        crate::oauth_forger::with_tenant(&issuer)(f)
            .merge(("security.confirmable", true))
            .merge(("security.passwordless", true))
            .merge(("security.two_factor", true))
            .merge(("security.totp_issuer", "Example"))
            .merge(("security.recovery_codes", true))
            .merge(("security.change_email", true))
            .merge(("security.username_enable", true))
            .merge(("security.username_recovery", true))
            .merge(("security.change_username", true))
            .merge(("security.unified_signin", true))
            .merge(("security.webauthn.enabled", true))
            .merge(("security.webauthn.rp_name", "Example"))
            .merge(("security.rate_limits.enabled", false))
            .merge(("security.mail_reply_floor", "0ms"))
    })
    .await;
    let email = unique_email();
    app.register(&email, PASSWORD).await;
    let token = app.csrf_token().await;
    let mut rng = StdRng::seed_from_u64(0x5eed);
    let paths = [
        "/login",
        "/register",
        "/logout",
        "/confirm",
        "/reset",
        "/change",
        "/sessions",
        "/sessions/revoke-others",
        "/sessions/1/revoke",
        "/sessions/x/revoke",
        "/api/me",
        "/api/admin",
        "/api/sensitive",
        "/verify",
        "/tf-setup",
        "/tf-validate",
        "/tf-rescue",
        "/mf-recovery-codes",
        "/mf-recovery",
        "/change-email",
        "/recover-username",
        "/change-username",
        "/us-signin",
        "/us-signin/send-code",
        "/us-verify-link",
        "/us-verify-link?id=1&code=123456",
        "/us-setup",
        "/us-verify",
        "/us-verify/send-code",
        "/wan-register",
        "/wan-delete",
        "/wan-signin",
        "/wan-verify",
        "/login/oauthstart/forged",
        "/login/oauthresponse/forged",
        "/login/oauth-verify-start/forged",
        "/login/oauth-verify-response/forged",
        "/login/oauth-link-start/forged",
        "/login/oauth-link-response/forged",
        "/oauth-identities",
        "/oauth-unlink",
    ];
    let link_paths = [
        "/login/",
        "/confirm/",
        "/reset/",
        "/tf-setup/",
        "/change-email/",
        "/us-setup/",
        "/wan-register/",
        "/wan-signin/",
        "/wan-verify/",
        "/us-verify-link?id=1&code=",
        "/login/oauthstart/",
        "/login/oauthresponse/forged?code=c&state=",
        "/login/oauthresponse/forged?error=access_denied&error_description=",
        "/login/oauth-link-response/forged?iss=",
    ];
    let mut statuses = std::collections::BTreeMap::new();
    for _ in 0..2500 {
        let path = if rng.gen_bool(0.25) {
            let tail: String = rocket::http::RawStr::new(&random_text(&mut rng))
                .percent_encode()
                .to_string();
            format!(
                "{}{}",
                link_paths[rng.gen_range(0..link_paths.len())],
                if tail.is_empty() { "x".into() } else { tail }
            )
        } else {
            paths[rng.gen_range(0..paths.len())].to_owned()
        };
        let (content_type, body) = random_body(&mut rng);
        let mut request = if rng.gen_bool(0.3) {
            app.client.get(path.clone())
        } else {
            app.client.post(path.clone())
        };
        if let Some(ct) = content_type {
            request = request.header(ct);
        }
        if rng.gen_bool(0.5) {
            request = request.header(Header::new("Accept", "application/json"));
        }
        match rng.gen_range(0..5) {
            0 => request = request.header(Header::new("X-CSRF-Token", token.clone())),
            1 => request = request.header(Header::new("X-CSRF-Token", random_text(&mut rng))),
            _ => {}
        }
        match rng.gen_range(0..6) {
            0 => {
                request = request.header(Header::new("Authentication-Token", random_text(&mut rng)))
            }
            1 => {
                request = request.header(Header::new(
                    "Authorization",
                    format!("Basic {}", random_text(&mut rng)),
                ))
            }
            2 => request = request.cookie(Cookie::new("session", random_text(&mut rng))),
            3 => request = request.cookie(Cookie::new("remember_token", random_text(&mut rng))),
            _ => {}
        }
        let reply = app.send(request.body(body)).await;
        assert!(
            reply.status.code < 500,
            "{path}: {} {}",
            reply.status,
            reply.body
        );
        *statuses.entry(reply.status.code).or_insert(0) += 1;
    }
    assert!(
        statuses.len() > 4,
        "the requests reached many outcomes: {statuses:?}"
    );
    // And the app still serves.
    assert_eq!(app.get_json("/api/hello").await.status, Status::Ok);
    assert_eq!(
        app.login(&email, PASSWORD).await.status,
        Status::BadRequest,
        "unconfirmed, as before"
    );
}

#[rocket::async_test]
async fn a_hundred_parallel_registrations_of_one_email_make_one_account() {
    // The race is the point here, not the mail limit (which would turn
    // most of them away with 429).
    let app = spawn_app_with(|f| {
        f.merge(("databases.app.connect_timeout", 60))
            .merge(("security.rate_limits.enabled", false))
    })
    .await;
    let email = unique_email();
    let token = app.csrf_token().await;
    let requests = (0..100).map(|i| {
        let address = if i % 2 == 0 {
            email.clone()
        } else {
            email.to_uppercase()
        };
        app.client
            .post("/register")
            .header(ContentType::JSON)
            .header(Header::new("X-CSRF-Token", token.clone()))
            .body(json!({ "email": address, "password": PASSWORD }).to_string())
            .dispatch()
    });
    let replies = join_all(requests).await;
    let mut created = 0;
    for reply in replies {
        assert_eq!(reply.status(), Status::Ok);
        let body: Value = serde_json::from_str(&reply.into_string().await.unwrap()).unwrap();
        if body["response"].get("user").is_some() {
            created += 1;
        }
    }
    assert_eq!(created, 1);
    use app::db::schema::users;
    use diesel::prelude::*;
    use diesel_async::RunQueryDsl;
    let count: i64 = users::table
        .count()
        .get_result(&mut *app.db().await)
        .await
        .unwrap();
    assert_eq!(count, 1);
}

#[rocket::async_test]
async fn five_hundred_parallel_sign_ins_are_each_counted() {
    let app = spawn_app_with(|f| {
        f.merge(("databases.app.connect_timeout", 120))
            .merge(("databases.app.max_connections", 16))
    })
    .await;
    let email = app.existing_user().await;
    let token = app.csrf_token().await;
    let requests = (0..500).map(|_| {
        app.client
            .post("/login")
            .header(ContentType::JSON)
            .header(Header::new("X-CSRF-Token", token.clone()))
            .body(json!({ "email": email, "password": PASSWORD }).to_string())
            .dispatch()
    });
    for reply in join_all(requests).await {
        assert_eq!(reply.status(), Status::Ok);
    }
    assert_eq!(
        app.user(&email).await.login_count,
        501,
        "registration + 500"
    );
}

#[rocket::async_test]
async fn one_reset_link_used_in_parallel_works_once() {
    let app = spawn_app().await;
    let email = app.existing_user().await;
    app.post_json("/reset", json!({ "email": email })).await;
    let link = link_in(&app.last_mail_to(&email), "/reset/");
    let token = app.csrf_token().await;
    let requests = (0..20).map(|i| {
        let password = format!("new password number {i}");
        app.client
            .post(link.clone())
            .header(ContentType::JSON)
            .header(Header::new("X-CSRF-Token", token.clone()))
            .body(json!({ "password": password, "password_confirm": password }).to_string())
            .dispatch()
    });
    let statuses: Vec<Status> = join_all(requests)
        .await
        .iter()
        .map(|r| r.status())
        .collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == Status::Ok).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == Status::BadRequest)
            .count(),
        19
    );
}
