//! CSRF protection and bad input.

use crate::helpers::*;
use rocket::http::{ContentType, Header, Status};
use rocket::serde::json::json;

#[rocket::async_test]
async fn json_posts_without_or_with_a_wrong_csrf_token_are_refused() {
    let app = spawn_app().await;
    let email = unique_email();
    let body = json!({ "email": email, "password": PASSWORD });
    let missing = app.post_json_with("/register", body.clone(), None).await;
    assert_eq!(missing.status, Status::BadRequest, "{}", missing.body);
    assert_eq!(
        missing.field_errors("csrf_token"),
        vec!["The CSRF token is missing."]
    );
    assert_eq!(missing.errors(), vec!["The CSRF token is missing."]);

    app.csrf_token().await;
    let wrong = app
        .post_json_with("/register", body.clone(), Some("bm90IGEgdG9rZW4"))
        .await;
    assert_eq!(wrong.status, Status::BadRequest);
    assert_eq!(
        wrong.field_errors("csrf_token"),
        vec!["The CSRF token is invalid."]
    );

    // A token from another browser's session does not fit this one.
    let other = spawn_app().await;
    let foreign = other.csrf_token().await;
    let reply = app.post_json_with("/register", body, Some(&foreign)).await;
    assert_eq!(
        reply.field_errors("csrf_token"),
        vec!["The CSRF token is invalid."]
    );
    assert!(app.client.cookies().get("session").is_some());
    let mut conn = app.db().await;
    assert!(app::models::user::find_by_email_key(&mut conn, &email)
        .await
        .unwrap()
        .is_none());
}

#[rocket::async_test]
async fn forms_need_the_csrf_field_and_the_xsrf_header_also_works() {
    let app = spawn_app().await;
    let email = app.existing_user().await;
    let reply = app
        .post_form_raw("/login", &[("email", &email), ("password", PASSWORD)])
        .await;
    // A browser's form without its token goes back to the form, which
    // says so and keeps the address typed (never the password).
    assert_eq!(reply.status, Status::SeeOther);
    assert_eq!(reply.location(), Some("/login"));
    let page = app.get("/login").await;
    assert!(page.body.contains("This form expired"), "{}", page.body);
    assert!(page.body.contains(&format!("value=\"{email}\"")));
    assert!(!page.body.contains(PASSWORD));
    assert!(!app.get("/login").await.body.contains("This form expired"));
    let json = app
        .post_json_with(
            "/login",
            json!({ "email": email, "password": PASSWORD }),
            None,
        )
        .await;
    assert_eq!(json.status, Status::BadRequest);
    assert_eq!(
        json.field_errors("csrf_token"),
        vec!["The CSRF token is missing."]
    );

    let token = app.csrf_token().await;
    let reply = app
        .send(
            app.client
                .post("/login")
                .header(ContentType::JSON)
                .header(Header::new("X-XSRF-Token", token))
                .body(json!({ "email": email, "password": PASSWORD }).to_string()),
        )
        .await;
    assert_eq!(reply.status, Status::Ok);
}

#[rocket::async_test]
async fn logout_needs_the_csrf_token_too() {
    let app = spawn_app().await;
    let email = app.existing_user().await;
    app.login(&email, PASSWORD).await;
    let reply = app.post_json_with("/logout", json!({}), None).await;
    assert_eq!(reply.status, Status::BadRequest);
    assert_eq!(app.me().await.status, Status::Ok, "still signed in");

    // A client with no session at all can sign out without a token: there
    // is nothing to forge.
    let anonymous = app.second_browser().await;
    let reply = read(
        anonymous
            .post("/logout")
            .header(ContentType::JSON)
            .body("{}")
            .dispatch()
            .await,
    )
    .await;
    assert_eq!(reply.status, Status::Ok, "{}", reply.body);
}

#[rocket::async_test]
async fn csrf_tokens_differ_each_time_and_all_verify() {
    let app = spawn_app().await;
    let first = app.csrf_token().await;
    let second = app.csrf_token().await;
    assert_ne!(first, second);
    let email = unique_email();
    let body = json!({ "email": email, "password": PASSWORD });
    assert_eq!(
        app.post_json_with("/register", body, Some(&first))
            .await
            .status,
        Status::Ok
    );
}

#[rocket::async_test]
async fn malformed_bodies_get_a_400_envelope_never_a_500() {
    let app = spawn_app().await;
    let token = app.csrf_token().await;
    let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    let bodies: Vec<(ContentType, Vec<u8>)> = vec![
        (ContentType::JSON, b"{not json".to_vec()),
        (ContentType::JSON, b"42".to_vec()),
        (ContentType::JSON, b"[\"email\"]".to_vec()),
        (ContentType::JSON, deep.into_bytes()),
        (ContentType::JSON, vec![0xff, 0xfe, b'{', b'}']),
        (ContentType::Form, vec![b'e', b'=', 0xff, 0xfe]),
        (ContentType::Form, b"email=%ZZ&password=%".to_vec()),
        (
            ContentType::JSON,
            json!({ "email": { "nested": true }, "password": 1 })
                .to_string()
                .into_bytes(),
        ),
        (
            ContentType::JSON,
            json!({ "email": null, "password": null, "remember": "maybe" })
                .to_string()
                .into_bytes(),
        ),
    ];
    for path in ["/login", "/register"] {
        for (content_type, body) in &bodies {
            let reply = app
                .send(
                    app.client
                        .post(path)
                        .header(content_type.clone())
                        .header(Header::new("Accept", "application/json"))
                        .header(Header::new("X-CSRF-Token", token.clone()))
                        .body(body.clone()),
                )
                .await;
            assert_eq!(
                reply.status,
                Status::BadRequest,
                "{path} {:?}: {}",
                String::from_utf8_lossy(body),
                reply.body
            );
            assert_eq!(reply.json()["meta"]["code"], 400);
            assert!(!reply.errors().is_empty());
        }
    }
}

#[rocket::async_test]
async fn oversized_bodies_are_refused_with_413() {
    let app = spawn_app().await;
    let token = app.csrf_token().await;
    let huge = json!({ "email": "a@example.com", "password": "x".repeat(200 * 1024) }).to_string();
    let reply = app
        .post_json_with("/login", serde_json::from_str(&huge).unwrap(), Some(&token))
        .await;
    assert_eq!(reply.status, Status::PayloadTooLarge);
    assert_eq!(reply.json()["meta"]["code"], 413);
    assert_eq!(reply.errors(), vec!["The request body is too large."]);
}

#[rocket::async_test]
async fn unknown_paths_get_a_json_404() {
    let app = spawn_app().await;
    let reply = app.get_json("/nope").await;
    assert_eq!(reply.status, Status::NotFound);
    assert_eq!(reply.json()["meta"]["code"], 404);
    let page = app.get("/nope").await;
    assert_eq!(page.status, Status::NotFound);
    assert!(page.body.contains("<html"));
}

#[rocket::async_test]
async fn pages_carry_the_security_headers() {
    let app = spawn_app().await;
    let page = app.get("/login").await;
    let csp = page.header("Content-Security-Policy").expect("a CSP");
    assert!(
        csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'"),
        "{csp}"
    );
    // Scripts only from this site's /static, never inline; no inline styles.
    let inline_script = page
        .body
        .match_indices("<script")
        .any(|(at, _)| !page.body[at..].starts_with("<script src=\"/static/"));
    assert!(
        !inline_script && !page.body.contains("style="),
        "the pages satisfy the CSP"
    );
    assert_eq!(page.header("X-Content-Type-Options"), Some("nosniff"));
    assert_eq!(page.header("X-Frame-Options"), Some("DENY"));
    assert_eq!(page.header("Referrer-Policy"), Some("same-origin"));
    assert_eq!(page.header("Cache-Control"), Some("private, no-store"));
    assert_eq!(
        page.header("Strict-Transport-Security"),
        None,
        "plain http in debug"
    );

    let secure = spawn_app_with(|f| f.merge(("security.secure_cookies", true))).await;
    assert!(secure
        .get("/login")
        .await
        .header("Strict-Transport-Security")
        .is_some());
    let css = app.get("/static/app.css").await;
    assert_eq!(css.status, Status::Ok);
    assert_eq!(
        css.header("Cache-Control"),
        None,
        "static files may be cached"
    );
}
