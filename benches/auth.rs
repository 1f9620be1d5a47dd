//! Micro-benchmarks (plain, no harness): the cost of one argon2id hash and
//! verification at the configured parameters, and of the auth-token lookup a
//! guard does per request, from the database and from the identity cache.
//! `cargo bench --bench auth`; `scripts/bench` runs it before the HTTP load
//! test.

use app::accounts::hasher::PasswordHasher;
use app::config::Argon2Config;
use app::domain::Password;
use app::models::TokenContext;
use std::time::{Duration, Instant};

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

#[rocket::main]
async fn main() {
    let params = Argon2Config::default();
    let hasher = PasswordHasher::new(params.clone(), None).expect("hasher");
    let password = Password::for_sign_in("correct horse battery staple");
    let mut hash = String::new();
    let mut hashing = Vec::new();
    for _ in 0..15 {
        let started = Instant::now();
        hash = hasher.hash(&password).await.expect("hash");
        hashing.push(started.elapsed());
    }
    let mut verifying = Vec::new();
    for _ in 0..15 {
        let started = Instant::now();
        assert!(
            hasher
                .verify(Some(&hash), &password)
                .await
                .expect("verify")
                .valid
        );
        verifying.push(started.elapsed());
    }
    println!(
        "argon2id m={} t={} p={}: hash {:.1} ms, verify {:.1} ms (median of 15)",
        params.memory_kib,
        params.iterations,
        params.parallelism,
        median(hashing).as_secs_f64() * 1e3,
        median(verifying).as_secs_f64() * 1e3
    );

    // The guard's work for a token request: hash the token, one indexed
    // query joining the user, one for the roles.
    let dir = std::env::temp_dir().join(format!("bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let figment = app::figment()
        .merge((
            "databases.app.url",
            dir.join("bench.db").to_string_lossy().into_owned(),
        ))
        .merge((
            "security.argon2",
            rocket::serde::json::json!({ "memory_kib": 64, "iterations": 1, "parallelism": 1 }),
        ));
    let pool = app::db::open(&figment).await.expect("database");
    let mut conn = pool.connection().await.expect("connection");
    let config = app::config::SecurityConfig::from_figment(&figment).expect("config");
    let security = app::accounts::Security::new(config.clone()).expect("security");
    let email = app::domain::Email::parse("bench@example.com").unwrap();
    let signup = app::accounts::registration::Signup {
        email: &email,
        username: None,
        password: &password,
    };
    let user = app::accounts::registration::register_user(
        &mut conn,
        &security,
        signup,
        true,
        true,
        &app::accounts::registration::NoFields,
    )
    .await
    .expect("register")
    .expect("new");
    let token = app::accounts::tokens::issue_token(
        &mut conn,
        &user,
        TokenContext::Api,
        &Default::default(),
    )
    .await
    .expect("token");
    drop(conn);
    // Follow the auth epoch, as a served app does, so the cache may be used.
    let watched = pool.clone();
    rocket::tokio::spawn(async move { watched.watch_epoch(std::future::pending()).await });
    while pool.epoch().current().is_none() {
        rocket::tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let uncached = app::accounts::Security::new(app::config::SecurityConfig {
        identity_cache_size: 0,
        ..config.clone()
    })
    .expect("security");
    for (label, security) in [
        ("database (identity cache off)", &uncached),
        ("identity cache hit", &security),
    ] {
        let rounds = 5000;
        let started = Instant::now();
        for _ in 0..rounds {
            app::accounts::sessions::authenticate_token(&pool, security, TokenContext::Api, &token)
                .await
                .expect("lookup")
                .expect("user");
        }
        let per = started.elapsed() / rounds;
        println!(
            "auth-token guard lookup, {label}: {:.2} µs per request",
            per.as_secs_f64() * 1e6
        );
    }
    let _ = std::fs::remove_dir_all(dir);
}
