//! The harness every test uses: `spawn_app()` starts the app on a fresh
//! database (a temp SQLite file, or a new PostgreSQL database under
//! `TEST_DATABASE_URL` with `--features postgres`) with cheap argon2
//! parameters, and `TestApp` speaks HTTP to it through Rocket's local client.

#![allow(dead_code)]

use app::db::{Db, PooledConn};
use app::mail::{Mail, Mailer};
use app::models::{self, User};
use rocket::figment::Figment;
use rocket::http::{ContentType, Cookie, Header, Status};
use rocket::local::asynchronous::{Client, LocalRequest, LocalResponse};
use rocket::serde::json::{json, Value};
use rocket::{Build, Rocket};
use rocket_db_pools::Database;
use std::net::SocketAddr;

pub const PASSWORD: &str = "correct horse battery";
pub const SECRET_KEY: &str = "hPRYyVRiMyxpw5sBB1XeCMN1kFsDCqKvBi2QJxBVHQk=";

type Customize = std::sync::Arc<dyn Fn(Rocket<Build>) -> Rocket<Build> + Send + Sync>;

pub struct TestApp {
    pub client: Client,
    pub figment: Figment,
    customize: Customize,
    _dir: tempfile::TempDir,
}

/// What a response said, owned so the client can be used again.
#[derive(Debug)]
pub struct Reply {
    pub status: Status,
    pub body: String,
    pub headers: Vec<(String, String)>,
    pub set_cookies: Vec<Cookie<'static>>,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn location(&self) -> Option<&str> {
        self.header("Location")
    }

    pub fn cookie(&self, name: &str) -> Option<&Cookie<'static>> {
        self.set_cookies.iter().find(|c| c.name() == name)
    }

    /// `response.errors` of a JSON error envelope.
    pub fn errors(&self) -> Vec<String> {
        serde_json::from_value(self.json()["response"]["errors"].clone()).unwrap_or_default()
    }

    /// `response.field_errors[field]`.
    pub fn field_errors(&self, field: &str) -> Vec<String> {
        serde_json::from_value(self.json()["response"]["field_errors"][field].clone())
            .unwrap_or_default()
    }

    #[track_caller]
    pub fn assert_redirect_to(&self, to: &str) {
        assert_eq!(self.status, Status::Found, "not a redirect: {}", self.body);
        assert_eq!(self.location(), Some(to));
    }
}

pub async fn read(response: LocalResponse<'_>) -> Reply {
    let status = response.status();
    let headers = response
        .headers()
        .iter()
        .map(|h| (h.name().to_string(), h.value().to_string()))
        .collect();
    let set_cookies = response
        .headers()
        .get("Set-Cookie")
        .filter_map(|c| Cookie::parse(c.to_owned()).ok())
        .collect();
    let body = response.into_string().await.unwrap_or_default();
    Reply {
        status,
        body,
        headers,
        set_cookies,
    }
}

/// The default test configuration: cheap hashing, quiet logs, a fixed secret
/// key (so a second client can replay cookies), and a fresh database.
pub async fn test_figment(dir: &tempfile::TempDir) -> Figment {
    app::figment()
        .merge(("log_level", "off"))
        .merge(("secret_key", SECRET_KEY))
        .merge(("databases.app.url", fresh_database_url(dir).await))
        .merge(("databases.app.max_connections", 8))
        .merge((
            "security.argon2",
            json!({ "memory_kib": 64, "iterations": 1, "parallelism": 1 }),
        ))
        // The flags at their defaults, whatever a generated project's
        // Rocket.toml chose; each test turns on what it is about.
        .merge(("security", default_flags()))
        // Keeps the suite quick; `recover.rs` checks the floor itself.
        .merge(("security.mail_reply_floor", "10ms"))
        // Mail is kept in memory for the tests to read, one outbox per test
        // app, shared by its second browsers.
        .merge(("mail.transport", "memory"))
        .merge(("mail.outbox", fresh_outbox_name()))
        .merge(("security.public_url", "http://localhost"))
        .merge(("security.site_name", "Example"))
        // For tests that turn passkeys on: the relying party is the tests'
        // public_url, whatever Rocket.toml's debug table says.
        .merge((
            "security.webauthn",
            json!({ "rp_name": "Example", "origin": "http://localhost", "rp_id": "localhost" }),
        ))
}

/// The feature flags at their defaults (a generated project's Rocket.toml
/// may have chosen others).
pub fn default_flags() -> Value {
    json!({
        "registerable": true, "confirmable": false, "recoverable": true, "changeable": true,
        "trackable": true, "passwordless": false, "generic_responses": true,
        "two_factor": false, "password_complexity": false, "password_check_breached": false,
        "change_email": false, "username_enable": false, "username_recovery": false,
        "change_username": false, "unified_signin": false,
        // English and passkeys off, whatever the project chose.
        "default_locale": "en", "webauthn": { "enabled": false },
        "oauth": { "auto_register": false, "link_by_verified_email": false },
    })
}

#[cfg(feature = "sqlite")]
async fn fresh_database_url(dir: &tempfile::TempDir) -> String {
    dir.path().join("test.db").to_string_lossy().into_owned()
}

/// A new, empty database on the server named by `TEST_DATABASE_URL`.
#[cfg(feature = "postgres")]
async fn fresh_database_url(_dir: &tempfile::TempDir) -> String {
    use diesel_async::{AsyncConnection, AsyncPgConnection, SimpleAsyncConnection};
    let admin_url = std::env::var("TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1/postgres".into());
    let name = format!("test_{}", uuid_like());
    let mut admin = AsyncPgConnection::establish(&admin_url)
        .await
        .expect("connect to TEST_DATABASE_URL");
    admin
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .await
        .expect("create test database");
    let base = admin_url
        .rsplit_once('/')
        .map(|(b, _)| b)
        .unwrap_or(&admin_url);
    format!("{base}/{name}")
}

#[cfg(feature = "postgres")]
fn uuid_like() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 8];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn fresh_outbox_name() -> String {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(1);
    format!("test-{}", NEXT.fetch_add(1, Ordering::Relaxed))
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|f| f).await
}

/// Starts the app with extra configuration, e.g.
/// `spawn_app_with(|f| f.merge(("security.generic_responses", false)))`.
pub async fn spawn_app_with(configure: impl FnOnce(Figment) -> Figment) -> TestApp {
    spawn_custom_app(configure, |rocket| rocket).await
}

/// Starts the app with extra configuration and extra routes or state.
pub async fn spawn_custom_app(
    configure: impl FnOnce(Figment) -> Figment,
    customize: impl Fn(Rocket<Build>) -> Rocket<Build> + Send + Sync + 'static,
) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let figment = configure(test_figment(&dir).await);
    let client = Client::tracked(customize(app::rocket_from(figment.clone())))
        .await
        .expect("the app launches");
    TestApp {
        client,
        figment,
        customize: std::sync::Arc::new(customize),
        _dir: dir,
    }
}

/// Whether the app refuses to launch with this configuration.
pub async fn launch_fails(figment: Figment) -> bool {
    match Client::tracked(app::rocket_from(figment)).await {
        Ok(_) => false,
        // Rocket's error must be looked at, or dropping it panics.
        Err(error) => !matches!(error.kind(), rocket::error::ErrorKind::Shutdown(..)),
    }
}

pub fn unique_email() -> String {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(1);
    format!("user{}@example.com", NEXT.fetch_add(1, Ordering::Relaxed))
}

impl TestApp {
    /// Another browser on the same app and database (no cookies yet).
    pub async fn second_browser(&self) -> Client {
        Client::tracked((self.customize)(app::rocket_from(self.figment.clone())))
            .await
            .expect("the app launches")
    }

    /// The same app relaunched with changed configuration, on the same database.
    pub async fn relaunch_with(&self, configure: impl FnOnce(Figment) -> Figment) -> Client {
        Client::tracked(app::rocket_from(configure(self.figment.clone())))
            .await
            .expect("the app launches")
    }

    pub async fn send(&self, request: LocalRequest<'_>) -> Reply {
        read(request.dispatch().await).await
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send(self.client.get(path.to_owned())).await
    }

    pub async fn get_json(&self, path: &str) -> Reply {
        self.send(
            self.client
                .get(path.to_owned())
                .header(Header::new("Accept", "application/json")),
        )
        .await
    }

    /// A fresh CSRF token from `GET /login` (JSON).
    pub async fn csrf_token(&self) -> String {
        csrf_of(&self.client).await
    }

    /// POSTs JSON with a valid CSRF header.
    pub async fn post_json(&self, path: &str, body: Value) -> Reply {
        let token = self.csrf_token().await;
        self.post_json_with(path, body, Some(&token)).await
    }

    pub async fn post_json_with(&self, path: &str, body: Value, csrf: Option<&str>) -> Reply {
        let mut request = self
            .client
            .post(path.to_owned())
            .header(ContentType::JSON)
            .body(body.to_string());
        if let Some(token) = csrf {
            request = request.header(Header::new("X-CSRF-Token", token.to_owned()));
        }
        self.send(request).await
    }

    /// POSTs a URL-encoded form, adding the CSRF field taken from the page.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Reply {
        let token = self.csrf_token().await;
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        all.push(("csrf_token", &token));
        self.post_form_raw(path, &all).await
    }

    pub async fn post_form_raw(&self, path: &str, fields: &[(&str, &str)]) -> Reply {
        let body = fields
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        self.send(
            self.client
                .post(path.to_owned())
                .header(ContentType::Form)
                .body(body),
        )
        .await
    }

    /// Registers through the page's form (email, `PASSWORD` twice).
    pub async fn register_form(&self, email: &str) -> Reply {
        let fields = [
            ("email", email),
            ("password", PASSWORD),
            ("password_confirm", PASSWORD),
        ];
        self.post_form("/register", &fields).await
    }

    pub async fn register(&self, email: &str, password: &str) -> Reply {
        self.post_json(
            "/register",
            json!({ "email": email, "password": password, "password_confirm": password }),
        )
        .await
    }

    /// Registers through JSON and expects success.
    pub async fn register_ok(&self, email: &str) -> Value {
        let reply = self.register(email, PASSWORD).await;
        assert_eq!(reply.status, Status::Ok, "{}", reply.body);
        reply.json()
    }

    pub async fn login(&self, email: &str, password: &str) -> Reply {
        self.post_json("/login", json!({ "email": email, "password": password }))
            .await
    }

    pub async fn logout(&self) -> Reply {
        self.post_json("/logout", json!({})).await
    }

    /// Creates a user and leaves this client signed out.
    pub async fn existing_user(&self) -> String {
        let email = unique_email();
        self.register_ok(&email).await;
        assert_eq!(self.logout().await.status, Status::Ok);
        email
    }

    /// Signs in through JSON and returns the auth token.
    pub async fn login_token(&self, email: &str) -> String {
        let reply = self.login(email, PASSWORD).await;
        assert_eq!(reply.status, Status::Ok, "{}", reply.body);
        reply.json()["response"]["user"]["authentication_token"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// Creates a role (if needed) and grants it.
    pub async fn grant_role(&self, email: &str, role: &str) {
        let user = self.user(email).await;
        let mut conn = self.db().await;
        let found = match models::role::find_by_name(&mut conn, role).await.unwrap() {
            Some(found) => found,
            None => models::role::insert(&mut conn, role, None).await.unwrap(),
        };
        models::role::grant(&mut conn, user.id, found.id)
            .await
            .unwrap();
    }

    /// A JSON GET carrying the auth token in the header.
    pub async fn get_with_token(&self, path: &str, token: &str) -> Reply {
        let request = self
            .client
            .get(path.to_owned())
            .header(Header::new("Accept", "application/json"))
            .header(Header::new("Authentication-Token", token.to_owned()));
        self.send(request).await
    }

    /// A JSON request with only the given headers, from a cookie-less client.
    pub async fn get_without_cookies(&self, path: &str, headers: Vec<Header<'static>>) -> Reply {
        let client = self.second_browser().await;
        let mut request = client
            .get(path.to_owned())
            .header(Header::new("Accept", "application/json"));
        for header in headers {
            request = request.header(header);
        }
        read(request.dispatch().await).await
    }

    pub async fn me(&self) -> Reply {
        self.get_json("/api/me").await
    }

    /// The raw (encrypted) cookie this client holds.
    pub fn cookie(&self, name: &str) -> Option<Cookie<'static>> {
        self.client
            .cookies()
            .get(name)
            .map(|c| c.clone().into_owned())
    }

    /// Every mail sent so far.
    pub fn outbox(&self) -> Vec<Mail> {
        self.client
            .rocket()
            .state::<Mailer>()
            .expect("mailer")
            .outbox()
    }

    /// The mails sent to `email`, oldest first.
    pub fn mails_to(&self, email: &str) -> Vec<Mail> {
        self.outbox()
            .into_iter()
            .filter(|m| m.to.eq_ignore_ascii_case(email))
            .collect()
    }

    /// The newest mail to `email`.
    #[track_caller]
    pub fn last_mail_to(&self, email: &str) -> Mail {
        self.mails_to(email)
            .pop()
            .unwrap_or_else(|| panic!("no mail to {email}"))
    }

    pub async fn db(&self) -> PooledConn {
        Db::fetch(self.client.rocket())
            .expect("db")
            .connection()
            .await
            .expect("a connection")
    }

    /// The kinds of the user's latest audit events, newest first.
    pub async fn events(&self, email: &str) -> Vec<String> {
        let mut conn = self.db().await;
        let (_, events) = app::accounts::admin::events(&mut conn, email, 50)
            .await
            .unwrap();
        events.into_iter().map(|e| e.kind).collect()
    }

    /// How many audit events of `kind` the database holds, anyone's.
    pub async fn events_of_kind(&self, kind: &str) -> i64 {
        use app::db::schema::security_events::dsl;
        use diesel::prelude::*;
        use diesel_async::RunQueryDsl;
        let mut conn = self.db().await;
        dsl::security_events
            .filter(dsl::kind.eq(kind))
            .count()
            .get_result(&mut conn)
            .await
            .expect("query")
    }

    pub async fn user_exists(&self, email: &str) -> bool {
        let mut conn = self.db().await;
        models::user::find_by_email_key(&mut conn, &email.to_lowercase())
            .await
            .expect("query")
            .is_some()
    }

    pub async fn user(&self, email: &str) -> User {
        let mut conn = self.db().await;
        models::user::find_by_email_key(&mut conn, &email.to_lowercase())
            .await
            .expect("query")
            .unwrap_or_else(|| panic!("no user {email}"))
    }

    pub async fn token_count(&self, email: &str, context: models::TokenContext) -> i64 {
        let user = self.user(email).await;
        let mut conn = self.db().await;
        models::token::count_for_user(&mut conn, user.id, context)
            .await
            .expect("query")
    }
}

/// A fresh CSRF token for `client` (a browser other than `TestApp::client`).
pub async fn csrf_of(client: &Client) -> String {
    let reply = read(
        client
            .get("/login")
            .header(Header::new("Accept", "application/json"))
            .dispatch()
            .await,
    )
    .await;
    reply.json()["response"]["csrf_token"]
        .as_str()
        .expect("csrf_token")
        .to_owned()
}

/// POSTs JSON from `client` with its own CSRF token.
pub async fn post_json_as(client: &Client, path: &str, body: Value) -> Reply {
    let token = csrf_of(client).await;
    let request = client
        .post(path.to_owned())
        .header(ContentType::JSON)
        .header(Header::new("X-CSRF-Token", token))
        .body(body.to_string());
    read(request.dispatch().await).await
}

/// A JSON GET from `client` (its cookies), with an auth token if given.
pub async fn get_json_as(client: &Client, path: &str, token: Option<&str>) -> Reply {
    let mut request = client
        .get(path.to_owned())
        .header(Header::new("Accept", "application/json"));
    if let Some(token) = token {
        request = request.header(Header::new("Authentication-Token", token.to_owned()));
    }
    read(request.dispatch().await).await
}

/// A request from a given client address (login tracking).
pub fn from_ip<'a>(request: LocalRequest<'a>, ip: &str) -> LocalRequest<'a> {
    let addr: SocketAddr = format!("{ip}:40000").parse().expect("address");
    request.remote(addr)
}

fn encode(text: &str) -> String {
    rocket::http::RawStr::new(text)
        .percent_encode()
        .to_string()
        .replace("%20", "+")
}

pub fn basic(email: &str, password: &str) -> Header<'static> {
    use base64::Engine as _;
    let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{email}:{password}"));
    Header::new("Authorization", format!("Basic {encoded}"))
}

/// The path of the link in a mail, e.g. `/reset/<token>`, after checking
/// that the text and HTML bodies carry the same absolute link.
#[track_caller]
pub fn link_in(mail: &Mail, path_prefix: &str) -> String {
    let find = |body: &str| -> String {
        let start = body
            .find(&format!("http://localhost{path_prefix}"))
            .unwrap_or_else(|| panic!("no {path_prefix} link in: {body}"));
        body[start..]
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != '"' && *c != '<')
            .collect()
    };
    let in_text = find(&mail.text);
    assert_eq!(in_text, find(&mail.html), "text and HTML links differ");
    in_text.trim_start_matches("http://localhost").to_owned()
}

/// Asks `probe` until it answers `status`, for at most a second: a change
/// made on one instance (or by the CLI) reaches the others within the auth
/// epoch's period, 200 ms (README → Performance).
pub async fn within_a_second<F, Fut>(mut probe: F, status: Status) -> Reply
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Reply>,
{
    let started = std::time::Instant::now();
    loop {
        let reply = probe().await;
        if reply.status == status || started.elapsed() > std::time::Duration::from_secs(1) {
            return reply;
        }
        rocket::tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}
