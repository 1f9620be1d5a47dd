//! OAuth and OpenID Connect against a hostile provider (API-NEXT → OAuth
//! and OpenID Connect): an ID token signs in only when its signature,
//! issuer, audience, lifetime and nonce all hold; keys that rotate are
//! fetched again once; a provider that fails ends the flow on the sign-in
//! page, audited, never with a 500.

use crate::helpers::*;
use crate::oauth_forger::*;
use crate::oauth_support::{refusal_on_login, subject};
use app::domain::secret;
use rocket::http::Status;
use rocket::serde::json::{json, Value};
use std::collections::HashMap;

const START: &str = "/login/oauthstart/forged";

/// A started flow: its state, nonce and PKCE challenge.
struct Started {
    state: String,
    nonce: String,
    challenge: String,
}

async fn start(app: &TestApp) -> Started {
    let started = app.post_form(START, &[]).await;
    assert_eq!(started.status, Status::Found, "{}", started.body);
    let query: HashMap<String, String> = url::Url::parse(started.location().unwrap())
        .unwrap()
        .query_pairs()
        .into_owned()
        .collect();
    Started {
        state: query["state"].clone(),
        nonce: query["nonce"].clone(),
        challenge: query["code_challenge"].clone(),
    }
}

async fn callback(app: &TestApp, started: &Started) -> Reply {
    app.get(&format!(
        "/login/oauthresponse/forged?code=forged-code&state={}",
        started.state
    ))
    .await
}

/// A whole round whose token endpoint answers `id_token(nonce)`.
async fn round(app: &TestApp, issuer: &str, id_token: impl FnOnce(&str) -> String) -> Reply {
    let started = start(app).await;
    forger().answer_with(issuer, &id_token(&started.nonce));
    callback(app, &started).await
}

#[rocket::async_test]
async fn an_honest_token_signs_in_after_a_pkce_bound_exchange() {
    let issuer = forger().tenant();
    let app = spawn_app_with(with_tenant(&issuer)).await;
    let email = unique_email();
    let started = start(&app).await;
    let claims = honest_claims(&issuer, &started.nonce, &subject(), &email);
    forger().answer_with(&issuer, &es256(&forger().published, "published", &claims));
    let reply = callback(&app, &started).await;
    assert_eq!(reply.location(), Some("/"), "{}", reply.body);
    assert_eq!(app.me().await.json()["email"], email.as_str());

    // The exchange: the code, our callback, the verifier of the challenge,
    // the client authenticated by HTTP Basic (RFC 6749 §2.3.1).
    let (form, authorization) = forger().with(&issuer, |t| t.token_request.clone().unwrap());
    assert_eq!(form["grant_type"], "authorization_code");
    assert_eq!(form["code"], "forged-code");
    assert_eq!(
        form["redirect_uri"],
        "http://localhost/login/oauthresponse/forged"
    );
    let verifier = &form["code_verifier"];
    assert_eq!(secret::encode(&secret::hash(verifier)), started.challenge);
    assert!(!form.contains_key("client_secret"), "{form:?}");
    let basic = base64_basic(CLIENT_ID, CLIENT_SECRET);
    assert_eq!(authorization.as_deref(), Some(basic.as_str()));
}

fn base64_basic(user: &str, password: &str) -> String {
    use base64::Engine;
    let pair = format!("{user}:{password}");
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(pair)
    )
}

/// Claims an honest token would carry, changed by `change`.
fn claims_with(issuer: &str, nonce: &str, email: &str, change: impl FnOnce(&mut Value)) -> Value {
    let mut claims = honest_claims(issuer, nonce, &subject(), email);
    change(&mut claims);
    claims
}

#[rocket::async_test]
async fn tokens_that_do_not_verify_sign_nobody_in() {
    let issuer = forger().tenant();
    let app = spawn_app_with(with_tenant(&issuer)).await;
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    type Forge = Box<dyn Fn(&str, &str, &str) -> String>;
    let published = |claims: &Value| es256(&forger().published, "published", claims);
    let cases: Vec<(&str, Forge)> = vec![
        (
            "another audience",
            Box::new(move |iss, nonce, email| {
                published(&claims_with(iss, nonce, email, |c| {
                    c["aud"] = json!("another-client")
                }))
            }),
        ),
        (
            "our audience, authorized for another party",
            Box::new(move |iss, nonce, email| {
                published(&claims_with(iss, nonce, email, |c| {
                    c["aud"] = json!([CLIENT_ID, "another-client"]);
                    c["azp"] = json!("another-client");
                }))
            }),
        ),
        (
            "another issuer",
            Box::new(move |_, nonce, email| {
                published(&claims_with("https://evil.example", nonce, email, |_| {}))
            }),
        ),
        (
            "expired",
            Box::new(move |iss, nonce, email| {
                published(&claims_with(iss, nonce, email, |c| {
                    c["iat"] = json!(now - 7200);
                    c["exp"] = json!(now - 3600);
                }))
            }),
        ),
        (
            "issued in the future",
            Box::new(move |iss, nonce, email| {
                published(&claims_with(iss, nonce, email, |c| {
                    c["iat"] = json!(now + 3600);
                    c["exp"] = json!(now + 7200);
                }))
            }),
        ),
        (
            "another flow's nonce",
            Box::new(move |iss, _, email| {
                published(&claims_with(iss, "another-nonce", email, |_| {}))
            }),
        ),
        (
            "no nonce",
            Box::new(move |iss, nonce, email| {
                published(&claims_with(iss, nonce, email, |c| {
                    c.as_object_mut().unwrap().remove("nonce");
                }))
            }),
        ),
        (
            "a stranger's key under the published kid",
            Box::new(|iss, nonce, email| {
                let claims = claims_with(iss, nonce, email, |_| {});
                es256(&forger().stranger, "published", &claims)
            }),
        ),
        (
            "a kid nobody publishes",
            Box::new(|iss, nonce, email| {
                let claims = claims_with(iss, nonce, email, |_| {});
                es256(&forger().stranger, "nobody", &claims)
            }),
        ),
        (
            "claims changed after signing",
            Box::new(move |iss, nonce, email| {
                let honest = published(&claims_with(iss, nonce, "someone@example.com", |_| {}));
                let forged = published(&claims_with(iss, nonce, email, |_| {}));
                let signature = honest.rsplit('.').next().unwrap();
                let (input, _) = forged.rsplit_once('.').unwrap();
                format!("{input}.{signature}")
            }),
        ),
        (
            "HS256 keyed by the client secret",
            Box::new(|iss, nonce, email| {
                hs256(CLIENT_SECRET, &claims_with(iss, nonce, email, |_| {}))
            }),
        ),
        (
            "alg none",
            Box::new(|iss, nonce, email| unsigned(&claims_with(iss, nonce, email, |_| {}))),
        ),
        ("not a JWT", Box::new(|_, _, _| "garbage".to_owned())),
        (
            "oversized",
            Box::new(|_, _, _| format!("{}.{}.", "e".repeat(40_000), "e".repeat(40_000))),
        ),
    ];
    for (case, forge) in cases {
        let email = unique_email();
        let reply = round(&app, &issuer, |nonce| forge(&issuer, nonce, &email)).await;
        let said = refusal_on_login(&app, &reply).await;
        assert!(said.contains("invalid_token"), "{case}: {said}");
        assert_eq!(app.me().await.status, Status::Unauthorized, "{case}");
        assert!(!app.user_exists(&email).await, "{case}");
    }
    // Every refusal is in the audit trail (no account: no user on it).
    let refused = app.events_of_kind("oauth_refused").await;
    assert!(refused >= 14, "{refused} oauth_refused events");
}

#[rocket::async_test]
async fn a_rotated_key_is_fetched_again_once() {
    let issuer = forger().tenant();
    // The second key appears in the JWKS after the app first fetched it.
    forger().with(&issuer, |t| {
        t.keys_later = vec![jwk(&forger().stranger, "rotated")]
    });
    let app = spawn_app_with(with_tenant(&issuer)).await;
    let email = unique_email();
    let reply = round(&app, &issuer, |nonce| {
        let claims = honest_claims(&issuer, nonce, &subject(), &email);
        es256(&forger().stranger, "rotated", &claims)
    })
    .await;
    assert_eq!(reply.location(), Some("/"), "{}", reply.body);
    assert_eq!(forger().with(&issuer, |t| t.jwks_fetches), 2);
    app.logout().await;

    // A kid that is still unknown after the new fetch: refused, after
    // exactly one more fetch.
    let reply = round(&app, &issuer, |nonce| {
        let claims = honest_claims(&issuer, nonce, &subject(), &unique_email());
        es256(&forger().stranger, "never-published", &claims)
    })
    .await;
    assert!(refusal_on_login(&app, &reply)
        .await
        .contains("invalid_token"));
    assert_eq!(forger().with(&issuer, |t| t.jwks_fetches), 3);
}

#[rocket::async_test]
async fn a_failing_provider_ends_on_the_sign_in_page() {
    let issuer = forger().tenant();
    let app = spawn_app_with(with_tenant(&issuer)).await;

    // The token endpoint refuses the code: its error, cut short, escaped.
    let started = start(&app).await;
    let description = format!("<script>alert(1)</script>{}", "x".repeat(5000));
    let body = json!({"error": "invalid_grant", "error_description": description});
    forger().with(&issuer, |t| t.token = Some((400, body.to_string())));
    let reply = callback(&app, &started).await;
    let said = refusal_on_login(&app, &reply).await;
    assert!(said.contains("invalid_grant"), "{said}");
    assert!(!said.contains("<script>"), "{said}");
    assert_eq!(app.me().await.status, Status::Unauthorized);

    // An HTML error page, and tokens without an ID token.
    for (status, body) in [
        (500, "<html>down</html>".to_owned()),
        (
            200,
            json!({"access_token": "a", "token_type": "Bearer"}).to_string(),
        ),
        (200, "{\"access_token\": 12}".to_owned()),
    ] {
        let started = start(&app).await;
        forger().with(&issuer, |t| t.token = Some((status, body.clone())));
        let said = refusal_on_login(&app, &callback(&app, &started).await).await;
        assert!(said.contains("invalid_token"), "{body}: {said}");
    }

    // RFC 9207: a callback naming another issuer is refused before any
    // exchange.
    let started = start(&app).await;
    forger().with(&issuer, |t| t.token_request = None);
    let reply = app
        .get(&format!(
            "/login/oauthresponse/forged?code=c&state={}&iss=https%3A%2F%2Fevil.example",
            started.state
        ))
        .await;
    assert!(refusal_on_login(&app, &reply)
        .await
        .contains("invalid_state"));
    assert!(forger().with(&issuer, |t| t.token_request.is_none()));
    assert_eq!(app.me().await.status, Status::Unauthorized);
}

#[rocket::async_test]
async fn an_unreachable_or_lying_provider_fails_at_the_start() {
    // Nothing listens on this port.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let nowhere = format!("http://127.0.0.1:{closed}");
    let app = spawn_app_with(with_tenant(&nowhere)).await;
    let reply = app.post_form(START, &[]).await;
    let said = refusal_on_login(&app, &reply).await;
    assert!(said.contains("provider_unavailable"), "{said}");
    assert!(app.cookie("oauth_flow").is_none());

    // A discovery document naming another issuer (OpenID Connect
    // Discovery §4.3).
    let issuer = forger().tenant();
    forger().with(&issuer, |t| {
        t.claimed_issuer = Some("https://evil.example".into())
    });
    let app = spawn_app_with(with_tenant(&issuer)).await;
    let said = refusal_on_login(&app, &app.post_form(START, &[]).await).await;
    assert!(said.contains("provider_unavailable"), "{said}");
}

#[rocket::async_test]
async fn malformed_callbacks_end_on_the_sign_in_page() {
    let issuer = forger().tenant();
    let app = spawn_app_with(with_tenant(&issuer)).await;
    let started = start(&app).await;
    let oversized = "c".repeat(5000);
    let reply = app
        .get(&format!(
            "/login/oauthresponse/forged?code={oversized}&state={}",
            started.state
        ))
        .await;
    let said = refusal_on_login(&app, &reply).await;
    assert!(said.contains("invalid_request"), "{said}");
    for query in [
        format!("state={}", "s".repeat(10_000)),
        "state=a&state=b&code=c&code=d".to_owned(),
        "state=%FF%FE&code=%00".to_owned(),
        "code=c".to_owned(),
        "".to_owned(),
        "error=&state=".to_owned(),
    ] {
        let reply = app
            .get(&format!("/login/oauthresponse/forged?{query}"))
            .await;
        assert_eq!(reply.status, Status::Found, "{query}: {}", reply.body);
        assert_eq!(reply.location(), Some("/login"), "{query}");
    }
    assert_eq!(app.me().await.status, Status::Unauthorized);
}
