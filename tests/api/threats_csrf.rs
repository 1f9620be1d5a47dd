//! Security review, classes 1, 5 and 6 (README "Security review"): a
//! foreign auth token lends no CSRF exemption to a cookie session and
//! cannot sign a browser in; API tokens are sessions the user can see and
//! end; the CSRF secret changes with every change of identity.

use crate::helpers::*;
use rocket::http::{ContentType, Header, Status};
use rocket::local::asynchronous::{Client, LocalRequest};
use rocket::serde::json::{json, Value};

/// How an attacker's page might attach its own token.
#[derive(Clone, Copy, Debug)]
enum Carrier {
    Header,
    Query,
}

fn with_token<'c>(
    client: &'c Client,
    path: &str,
    token: &str,
    carrier: Carrier,
) -> LocalRequest<'c> {
    match carrier {
        Carrier::Header => client
            .post(path.to_owned())
            .header(Header::new("Authentication-Token", token.to_owned())),
        Carrier::Query => {
            let sep = if path.contains('?') { '&' } else { '?' };
            client.post(format!("{path}{sep}auth_token={token}"))
        }
    }
}

/// A POST without any CSRF token, as a forged cross-site form would send.
async fn forged(
    client: &Client,
    path: &str,
    token: &str,
    carrier: Carrier,
    json: bool,
    body: Value,
) -> Reply {
    let request = with_token(client, path, token, carrier);
    let request = if json {
        request.header(ContentType::JSON).body(body.to_string())
    } else {
        let form: Vec<String> = body
            .as_object()
            .map(|o| {
                o.iter()
                    .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or_default()))
                    .collect()
            })
            .unwrap_or_default();
        request.header(ContentType::Form).body(form.join("&"))
    };
    read(request.dispatch().await).await
}

/// The victim is signed in on `app.client` (and on a phone); the attacker
/// has an account and a token of their own.
async fn victim_and_attacker(app: &TestApp) -> (String, Client, String, String) {
    let victim = app.existing_user().await;
    assert_eq!(app.login(&victim, PASSWORD).await.status, Status::Ok);
    let phone = app.second_browser().await;
    assert_eq!(
        post_json_as(
            &phone,
            "/login",
            json!({ "email": victim, "password": PASSWORD })
        )
        .await
        .status,
        Status::Ok
    );
    let attacker_browser = app.second_browser().await;
    let attacker = unique_email();
    let registered = post_json_as(
        &attacker_browser,
        "/register",
        json!({ "email": attacker, "password": PASSWORD }),
    )
    .await;
    let token = registered.json()["response"]["user"]["authentication_token"]
        .as_str()
        .expect("token")
        .to_owned();
    (victim, phone, attacker, token)
}

async fn me_of(client: &Client) -> Reply {
    read(
        client
            .get("/api/me")
            .header(Header::new("Accept", "application/json"))
            .dispatch()
            .await,
    )
    .await
}

#[rocket::async_test]
async fn a_foreign_token_never_lets_a_forged_request_act_for_the_cookie_user() {
    let app = spawn_app().await;
    let (victim, phone, attacker, token) = victim_and_attacker(&app).await;
    let victim_hash = app.user(&victim).await.password_hash;
    for carrier in [Carrier::Header, Carrier::Query] {
        for json in [true, false] {
            // Were the request the victim's, this password would be right.
            let change = json!({
                "password": "victim-password-guess", "new_password": "attackers-choice-1",
                "new_password_confirm": "attackers-choice-1",
            });
            for (path, body) in [
                ("/sessions/revoke-others", json!({})),
                ("/change", change),
                ("/logout", json!({})),
            ] {
                let reply = forged(&app.client, path, &token, carrier, json, body).await;
                assert!(
                    reply.cookie("session").is_none() && reply.cookie("remember_token").is_none(),
                    "{path} {carrier:?}: a token request sets no cookie"
                );
                assert_eq!(
                    me_of(&app.client).await.status,
                    Status::Ok,
                    "{path} {carrier:?} json={json}"
                );
                assert_eq!(me_of(&phone).await.status, Status::Ok, "{path} {carrier:?}");
            }
        }
    }
    // Whatever ran, ran as the attacker; the victim's account is untouched.
    assert_eq!(app.user(&victim).await.password_hash, victim_hash);
    let mine = app.get_with_token("/api/me", &token).await;
    assert_eq!(mine.json()["email"], attacker.as_str());
}

#[rocket::async_test]
async fn the_victims_own_sessions_cannot_be_ended_by_id_with_a_foreign_token() {
    let app = spawn_app().await;
    let (_victim, phone, _attacker, token) = victim_and_attacker(&app).await;
    let listed = app.get_json("/sessions").await;
    for session in listed.json()["response"]["sessions"].as_array().unwrap() {
        let id = session["id"].as_i64().unwrap();
        let reply = forged(
            &app.client,
            &format!("/sessions/{id}/revoke"),
            &token,
            Carrier::Header,
            true,
            json!({}),
        )
        .await;
        assert_eq!(
            reply.status,
            Status::NotFound,
            "not the token user's session"
        );
    }
    assert_eq!(me_of(&app.client).await.status, Status::Ok);
    assert_eq!(me_of(&phone).await.status, Status::Ok);
}

#[rocket::async_test]
async fn a_request_acts_as_its_token_user_even_with_someone_elses_cookie() {
    let app = spawn_app().await;
    let (victim, _phone, attacker, token) = victim_and_attacker(&app).await;
    assert_eq!(app.me().await.json()["email"], victim.as_str());
    for path in [format!("/api/me?auth_token={token}")] {
        let reply = app.get_json(&path).await;
        assert_eq!(reply.json()["email"], attacker.as_str());
        assert!(
            reply.set_cookies.is_empty(),
            "no cookie: {:?}",
            reply.set_cookies
        );
    }
    let reply = app.get_with_token("/api/me", &token).await;
    assert_eq!(reply.json()["email"], attacker.as_str());
    // A wrong token is refused, never taken for the cookie's user.
    for bad in ["garbage", ""] {
        let reply = app.get_with_token("/api/me", bad).await;
        assert_eq!(reply.status, Status::Unauthorized, "{bad:?}");
        let reply = forged(
            &app.client,
            "/logout",
            bad,
            Carrier::Header,
            true,
            json!({}),
        )
        .await;
        assert_eq!(reply.status, Status::Unauthorized, "{bad:?}");
        assert_eq!(app.me().await.status, Status::Ok, "still signed in");
    }
}

#[rocket::async_test]
async fn an_anonymous_browser_cannot_be_signed_in_to_the_attackers_account() {
    let app = spawn_app().await;
    let (_, _, attacker, token) = victim_and_attacker(&app).await;
    let browser = app.second_browser().await;
    for carrier in [Carrier::Header, Carrier::Query] {
        for json in [true, false] {
            let credentials = json!({ "email": attacker, "password": PASSWORD });
            let login = forged(&browser, "/login", &token, carrier, json, credentials).await;
            assert_eq!(
                login.status,
                Status::BadRequest,
                "{carrier:?} json={json}: {}",
                login.body
            );
            assert!(login.cookie("session").is_none());
            let new = json!({ "email": unique_email(), "password": PASSWORD, "password_confirm": PASSWORD });
            let register = forged(&browser, "/register", &token, carrier, json, new).await;
            assert_eq!(register.status, Status::BadRequest, "{}", register.body);
            assert!(register.cookie("session").is_none());
            assert_eq!(me_of(&browser).await.status, Status::Unauthorized);
        }
    }
    let login = forged(&browser, "/login", &token, Carrier::Header, true, json!({})).await;
    assert_eq!(
        login.errors(),
        vec!["You can only access this endpoint when not logged in."]
    );
    // Without a token, signing in still needs the CSRF token.
    let plain = read(
        browser
            .post("/login")
            .header(ContentType::JSON)
            .body(json!({ "email": attacker, "password": PASSWORD }).to_string())
            .dispatch()
            .await,
    )
    .await;
    assert_eq!(
        plain.field_errors("csrf_token"),
        vec!["The CSRF token is missing."]
    );
}

#[rocket::async_test]
async fn api_tokens_are_listed_on_the_sessions_page_and_ended_there() {
    let app = spawn_app().await;
    let email = app.existing_user().await;
    app.login(&email, PASSWORD).await;
    let client = app.second_browser().await;
    let csrf = csrf_of(&client).await;
    let request = client
        .post("/login")
        .header(ContentType::JSON)
        .header(Header::new("X-CSRF-Token", csrf))
        .header(Header::new("User-Agent", "Mobile App 2.1"))
        .body(json!({ "email": email, "password": PASSWORD }).to_string());
    let reply = read(from_ip(request, "198.51.100.9").dispatch().await).await;
    assert_eq!(reply.status, Status::Ok, "{}", reply.body);
    let token = reply.json()["response"]["user"]["authentication_token"]
        .as_str()
        .unwrap()
        .to_owned();

    let listed = app.get_json("/sessions").await.json();
    let sessions = listed["response"]["sessions"].as_array().unwrap().clone();
    let api = sessions
        .iter()
        .find(|s| s["kind"] == "api" && s["user_agent"] == "Mobile App 2.1")
        .expect("the app's token is listed");
    assert_eq!(api["ip"], "198.51.100.9");
    assert!(api["created_at"].is_string() && api["last_used_at"].is_string());
    assert_eq!(api["current"], false);
    let page = app.get("/sessions").await;
    assert!(page.body.contains("API token") && page.body.contains("Mobile App 2.1"));

    // Seen from the token itself, it is the current one; ending the others
    // from there keeps it.
    let by_token = app.get_with_token("/sessions", &token).await;
    assert_eq!(by_token.status, Status::Ok, "{}", by_token.body);
    let by_token = by_token.json();
    let current: Vec<&Value> = by_token["response"]["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["current"] == true)
        .collect();
    assert_eq!(current.len(), 1);
    assert_eq!(current[0]["id"], api["id"]);

    // One by id, from the browser.
    let id = api["id"].as_i64().unwrap();
    let ended = app
        .post_json(&format!("/sessions/{id}/revoke"), json!({}))
        .await;
    assert_eq!(ended.status, Status::Ok, "{}", ended.body);
    assert_eq!(
        app.get_with_token("/api/me", &token).await.status,
        Status::Unauthorized
    );

    // All others, from the browser: every API token dies, this session stays.
    let second = app.login_token(&email).await;
    let third = {
        let other = app.second_browser().await;
        let reply = post_json_as(
            &other,
            "/login",
            json!({ "email": email, "password": PASSWORD }),
        )
        .await;
        reply.json()["response"]["user"]["authentication_token"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(
        app.get_with_token("/api/me", &third).await.status,
        Status::Ok
    );
    let others = app.post_json("/sessions/revoke-others", json!({})).await;
    assert_eq!(others.status, Status::Ok);
    for token in [&second, &third] {
        assert_eq!(
            app.get_with_token("/api/me", token).await.status,
            Status::Unauthorized
        );
    }
    assert_eq!(app.me().await.status, Status::Ok);
    assert_eq!(
        app.token_count(&email, app::models::TokenContext::Api)
            .await,
        0
    );
}

#[rocket::async_test]
async fn ending_the_others_from_a_token_keeps_that_token() {
    let app = spawn_app().await;
    let email = app.existing_user().await;
    let mine = app.login_token(&email).await;
    let other = app.login_token(&email).await;
    let reply = app
        .send(
            app.client
                .post("/sessions/revoke-others")
                .header(ContentType::JSON)
                .header(Header::new("Authentication-Token", mine.clone()))
                .body("{}"),
        )
        .await;
    assert_eq!(reply.status, Status::Ok, "{}", reply.body);
    assert_eq!(
        app.get_with_token("/api/me", &mine).await.status,
        Status::Ok
    );
    assert_eq!(
        app.get_with_token("/api/me", &other).await.status,
        Status::Unauthorized
    );
    assert_eq!(
        app.me().await.status,
        Status::Unauthorized,
        "the browser session ended"
    );
}

fn csrf_in(reply: &Reply) -> String {
    reply.json()["response"]["csrf_token"]
        .as_str()
        .expect("csrf_token")
        .to_owned()
}

#[rocket::async_test]
async fn the_csrf_token_changes_at_sign_in_and_the_old_one_stops_working() {
    let app = spawn_app().await;
    let email = app.existing_user().await;
    // Known before sign-in, e.g. planted by someone who set this cookie.
    let before = app.csrf_token().await;
    let reply = app
        .post_json_with(
            "/login",
            json!({ "email": email, "password": PASSWORD, "remember": true }),
            Some(&before),
        )
        .await;
    assert_eq!(reply.status, Status::Ok);
    let after = csrf_in(&reply);
    let stale = app
        .post_json_with("/logout", json!({}), Some(&before))
        .await;
    assert_eq!(stale.status, Status::BadRequest);
    assert_eq!(
        stale.field_errors("csrf_token"),
        vec!["The CSRF token is invalid."]
    );
    assert_eq!(app.me().await.status, Status::Ok);

    // A password change is a change of privilege: new seed again.
    let changed = app
        .post_json_with(
            "/change",
            json!({ "password": PASSWORD, "new_password": "another passphrase", "new_password_confirm": "another passphrase" }),
            Some(&after),
        )
        .await;
    assert_eq!(changed.status, Status::Ok, "{}", changed.body);
    let newest = csrf_in(&changed);
    let stale = app
        .post_json_with("/sessions/revoke-others", json!({}), Some(&after))
        .await;
    assert_eq!(stale.status, Status::BadRequest, "{}", stale.body);
    let fresh = app
        .post_json_with("/sessions/revoke-others", json!({}), Some(&newest))
        .await;
    assert_eq!(fresh.status, Status::Ok, "{}", fresh.body);
}

#[rocket::async_test]
async fn a_planted_session_cookie_gives_away_no_csrf_token_after_sign_in() {
    let app = spawn_app().await;
    let email = app.existing_user().await;
    // The attacker's own anonymous cookie and a CSRF token that fits it.
    let attacker = app.second_browser().await;
    let known = csrf_of(&attacker).await;
    let planted = attacker
        .cookies()
        .get("session")
        .unwrap()
        .clone()
        .into_owned();
    // The victim's browser carries the planted cookie and signs in (form).
    let victim = app.second_browser().await;
    let token = known.clone();
    let signed_in = read(
        victim
            .post("/login")
            .cookie(planted)
            .header(ContentType::Form)
            .body(format!(
                "email={}&password={}&csrf_token={token}",
                email,
                PASSWORD.replace(' ', "+")
            ))
            .dispatch()
            .await,
    )
    .await;
    signed_in.assert_redirect_to("/");
    refuses_csrf_token(&victim, &known).await;
}

#[rocket::async_test]
async fn restoring_a_session_from_remember_me_also_renews_the_csrf_token() {
    let app = spawn_app().await;
    let email = app.existing_user().await;
    app.post_json(
        "/login",
        json!({ "email": email, "password": PASSWORD, "remember": true }),
    )
    .await;
    let remember = app.cookie("remember_token").unwrap();
    // A browser holding a planted anonymous cookie and the remember cookie.
    let attacker = app.second_browser().await;
    let known = csrf_of(&attacker).await;
    let planted = attacker
        .cookies()
        .get("session")
        .unwrap()
        .clone()
        .into_owned();
    let browser = app.second_browser().await;
    let restored = read(
        browser
            .get("/api/me")
            .cookie(planted)
            .cookie(remember)
            .header(Header::new("Accept", "application/json"))
            .dispatch()
            .await,
    )
    .await;
    assert_eq!(restored.status, Status::Ok, "restored");
    refuses_csrf_token(&browser, &known).await;
}

/// `client` may no longer use the CSRF token `known` (someone else's).
async fn refuses_csrf_token(client: &Client, known: &str) {
    let forged = read(
        client
            .post("/sessions/revoke-others")
            .header(ContentType::JSON)
            .header(Header::new("X-CSRF-Token", known.to_owned()))
            .body("{}")
            .dispatch()
            .await,
    )
    .await;
    assert_eq!(forged.status, Status::BadRequest, "{}", forged.body);
    assert_eq!(
        forged.field_errors("csrf_token"),
        vec!["The CSRF token is invalid."]
    );
}
