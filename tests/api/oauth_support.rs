//! A real OpenID Connect provider on loopback for the OAuth tests: PyPI's
//! `oidc-provider-mock` 0.3.4, installed on first use into
//! `target/oidc-provider-mock` (or the Python named by `OIDC_MOCK_PYTHON`),
//! started once per test binary and stopped when the binary exits. Tests
//! choose the identity (subject and claims) for each sign-in.

use crate::helpers::*;
use rocket::figment::Figment;
use rocket::http::Status;
use rocket::serde::json::{json, Value};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::OnceLock;

pub struct Provider {
    /// The issuer, `http://127.0.0.1:<port>`.
    pub issuer: String,
}

static PROVIDER: OnceLock<Provider> = OnceLock::new();

fn python() -> PathBuf {
    if let Ok(python) = std::env::var("OIDC_MOCK_PYTHON") {
        return python.into();
    }
    let venv = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/oidc-provider-mock");
    let python = venv.join("bin/python");
    if !python.exists() {
        let made = Command::new("python3")
            .args(["-m", "venv"])
            .arg(&venv)
            .status()
            .expect("python3 runs");
        assert!(made.success(), "python3 -m venv {venv:?}");
    }
    let installed = Command::new(&python)
        .args(["-c", "import oidc_provider_mock"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !installed {
        let pip = Command::new(&python)
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "oidc-provider-mock==0.3.4",
            ])
            .status()
            .expect("pip runs");
        assert!(pip.success(), "pip install oidc-provider-mock==0.3.4");
    }
    python
}

/// The provider, started on first use.
pub fn provider() -> &'static Provider {
    PROVIDER.get_or_init(|| {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let python = python();
        // A shell watches this process and stops the provider when it ends
        // (a child of a test thread outlives nothing else reliably).
        let script = format!(
            "{python} -m oidc_provider_mock --port {port} >/dev/null 2>&1 & child=$!; \
             while kill -0 {parent} 2>/dev/null; do sleep 1; done; kill $child",
            python = python.display(),
            parent = std::process::id(),
        );
        // The shell ends with this process; nothing here waits for it.
        let watcher = Command::new("sh")
            .args(["-c", &script])
            .stdin(Stdio::null())
            .spawn()
            .expect("the provider starts");
        std::mem::forget(watcher);
        let issuer = format!("http://127.0.0.1:{port}");
        for _ in 0..200 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Provider { issuer };
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        panic!("oidc-provider-mock did not listen on {port}");
    })
}

/// OAuth on with the provider as `mock`.
pub fn with_mock(f: Figment) -> Figment {
    f.merge((
        "security.oauth.providers.mock",
        json!({
            "kind": "oidc",
            "issuer": provider().issuer,
            "client_id": "starter",
            "client_secret": "starter-secret",
        }),
    ))
}

fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// Sets the claims the provider gives `sub` from now on.
pub async fn set_identity(sub: &str, claims: Value) {
    let url = format!("{}/users/{sub}", provider().issuer);
    let done = http()
        .put(url)
        .header("Content-Type", "application/json")
        .body(claims.to_string())
        .send()
        .await
        .unwrap();
    assert!(
        done.status().is_success(),
        "PUT /users/{sub}: {}",
        done.status()
    );
}

/// The provider's answer to an authorization request: `sub` consents (or,
/// with `None`, the user denies). Returns our callback's path and query.
pub async fn consent(authorize_url: &str, sub: Option<&str>) -> String {
    let form: Vec<(&str, &str)> = match sub {
        Some(sub) => vec![("sub", sub)],
        None => vec![("action", "deny")],
    };
    let answer = http().post(authorize_url).form(&form).send().await.unwrap();
    assert_eq!(answer.status().as_u16(), 302, "{authorize_url}");
    let to = answer.headers()["location"].to_str().unwrap().to_owned();
    to.strip_prefix("http://localhost")
        .unwrap_or_else(|| panic!("the provider sent the browser to {to}"))
        .to_owned()
}

/// `POST start` in the app's browser: the provider's authorization URL.
pub async fn start(app: &TestApp, start: &str) -> String {
    let started = app.post_form(start, &[]).await;
    assert_eq!(started.status.code, 302, "{}", started.body);
    started.location().unwrap().to_owned()
}

/// A whole round: start, `sub` with `claims` consents, the callback.
pub async fn round(app: &TestApp, start_path: &str, sub: &str, claims: Value) -> Reply {
    set_identity(sub, claims).await;
    let authorize = start(app, start_path).await;
    let callback = consent(&authorize, Some(sub)).await;
    app.get(&callback).await
}

/// A verified identity's claims.
pub fn verified(email: &str) -> Value {
    json!({ "email": email, "email_verified": true })
}

/// The flash the sign-in page shows after a refused callback.
pub async fn refusal_on_login(app: &TestApp, reply: &Reply) -> String {
    assert_eq!(reply.status, Status::Found, "{}", reply.body);
    assert_eq!(reply.location(), Some("/login"));
    let page = app.get("/login").await;
    let start = page.body.find("flash-error").expect("an error flash");
    page.body[start..].chars().take(400).collect()
}

/// A subject no other test uses.
pub fn subject() -> String {
    unique_email().replace('@', "-at-")
}
