//! The identity cache and the auth epoch (README → Performance): two app
//! instances on one database. A revoked session or token, a password
//! change, a deactivation or a role change holds at once on the instance
//! that made it and within a second on the other, although the other
//! answered from its cache the moment before.

use crate::helpers::*;
use app::accounts::Security;
use rocket::http::Status;
use rocket::local::asynchronous::Client;
use rocket::serde::json::json;
use std::time::{Duration, Instant};

async fn token_me(client: &Client, token: &str) -> Reply {
    get_json_as(client, "/api/me", Some(token)).await
}

async fn admin(client: &Client, token: &str) -> Reply {
    get_json_as(client, "/api/admin", Some(token)).await
}

fn cached(client: &Client) -> usize {
    client
        .rocket()
        .state::<Security>()
        .expect("security")
        .identities
        .len()
}

/// Waits until the instance follows the auth epoch (its watcher has read
/// it once), so that it serves from its cache.
async fn watching(client: &Client) {
    use rocket_db_pools::Database;
    let pool: &app::db::DbPool = app::db::Db::fetch(client.rocket()).expect("db");
    for _ in 0..100 {
        if pool.epoch().current().is_some() {
            return;
        }
        rocket::tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("the auth epoch watcher never started");
}

/// The other instance's view settles to `status` within a second; how long it took.
async fn settles(client: &Client, token: &str, status: Status) -> Duration {
    let started = Instant::now();
    let reply = within_a_second(|| token_me(client, token), status).await;
    assert_eq!(reply.status, status, "{}", reply.body);
    started.elapsed()
}

/// Instance A (the test app) and instance B on the same database, a user
/// with an API token that B has answered from its cache.
async fn two_instances() -> (TestApp, Client, String, String) {
    let app = spawn_app().await;
    let other = app.second_browser().await;
    watching(&app.client).await;
    watching(&other).await;
    let email = app.existing_user().await;
    let token = app.login_token(&email).await;
    for _ in 0..2 {
        assert_eq!(token_me(&other, &token).await.status, Status::Ok);
    }
    assert!(cached(&other) >= 1, "B keeps the identity it read");
    (app, other, email, token)
}

#[rocket::async_test]
async fn a_revoked_token_stops_here_at_once_and_there_within_a_second() {
    let (app, other, _email, token) = two_instances().await;
    let sessions = app.get_json("/sessions").await.json();
    let api = sessions["response"]["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["kind"] == "api")
        .expect("the API token")["id"]
        .as_i64()
        .unwrap();
    let ended = app
        .post_json(&format!("/sessions/{api}/revoke"), json!({}))
        .await;
    assert_eq!(ended.status, Status::Ok, "{}", ended.body);
    assert_eq!(
        token_me(&app.client, &token).await.status,
        Status::Unauthorized,
        "at once on the instance that revoked it"
    );
    let took = settles(&other, &token, Status::Unauthorized).await;
    assert!(took < Duration::from_secs(1), "{took:?}");
}

#[rocket::async_test]
async fn a_password_change_ends_the_tokens_on_every_instance() {
    let (app, other, email, token) = two_instances().await;
    // A session on B too, answered from B's cache.
    let credentials = json!({ "email": email, "password": PASSWORD });
    let signed_in = post_json_as(&other, "/login", credentials).await;
    assert_eq!(signed_in.status, Status::Ok);
    let me_by_cookie = || get_json_as(&other, "/api/me", None);
    assert_eq!(me_by_cookie().await.status, Status::Ok);

    app.login(&email, PASSWORD).await;
    let changed = app
        .post_json(
            "/change",
            json!({ "password": PASSWORD, "new_password": "a new long passphrase",
                    "new_password_confirm": "a new long passphrase" }),
        )
        .await;
    assert_eq!(changed.status, Status::Ok, "{}", changed.body);
    assert_eq!(
        token_me(&app.client, &token).await.status,
        Status::Unauthorized
    );
    settles(&other, &token, Status::Unauthorized).await;
    let reply = within_a_second(me_by_cookie, Status::Unauthorized).await;
    assert_eq!(reply.status, Status::Unauthorized, "B's session ended too");
}

#[rocket::async_test]
async fn a_deactivation_and_a_role_change_reach_every_instance() {
    let (app, other, email, token) = two_instances().await;
    app.grant_role(&email, "admin").await;
    assert_eq!(
        admin(&app.client, &token).await.status,
        Status::Ok,
        "at once here"
    );
    let reply = within_a_second(|| admin(&other, &token), Status::Ok).await;
    assert_eq!(reply.status, Status::Ok, "granted there within a second");

    let user = app.user(&email).await;
    let mut conn = app.db().await;
    let role = app::models::role::find_by_name(&mut conn, "admin")
        .await
        .unwrap()
        .unwrap();
    app::models::role::revoke(&mut conn, user.id, role.id)
        .await
        .unwrap();
    assert_eq!(admin(&app.client, &token).await.status, Status::Forbidden);
    let reply = within_a_second(|| admin(&other, &token), Status::Forbidden).await;
    assert_eq!(
        reply.status,
        Status::Forbidden,
        "revoked there within a second"
    );

    app::accounts::admin::deactivate(&mut conn, &email)
        .await
        .unwrap();
    drop(conn);
    assert_eq!(
        token_me(&app.client, &token).await.status,
        Status::Unauthorized
    );
    settles(&other, &token, Status::Unauthorized).await;
}

#[rocket::async_test]
async fn a_cached_token_still_expires_on_time() {
    let app = spawn_app_with(|f| f.merge(("security.token_max_age", "2 seconds"))).await;
    watching(&app.client).await;
    let email = app.existing_user().await;
    let token = app.login_token(&email).await;
    assert_eq!(token_me(&app.client, &token).await.status, Status::Ok);
    assert_eq!(token_me(&app.client, &token).await.status, Status::Ok);
    assert!(cached(&app.client) >= 1);
    rocket::tokio::time::sleep(Duration::from_millis(2100)).await;
    assert_eq!(
        token_me(&app.client, &token).await.status,
        Status::Unauthorized,
        "expired, whatever the cache held"
    );
}

#[rocket::async_test]
async fn with_the_cache_off_nothing_is_kept() {
    let app = spawn_app_with(|f| f.merge(("security.identity_cache_size", 0))).await;
    watching(&app.client).await;
    let email = app.existing_user().await;
    let token = app.login_token(&email).await;
    assert_eq!(token_me(&app.client, &token).await.status, Status::Ok);
    assert_eq!(cached(&app.client), 0);
}
