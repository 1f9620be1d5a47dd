//! A hostile OpenID Connect provider on loopback, for what a real one never
//! sends: ID tokens with the wrong audience, issuer, nonce or lifetime,
//! signed by a stranger's key, by the client secret (HS256) or not at all,
//! keys that rotate, token endpoints that fail. Each test takes its own
//! tenant (`http://127.0.0.1:<port>/<tenant>` is its issuer) and scripts
//! what the tenant's token endpoint answers.

use crate::helpers::*;
use app::domain::secret::encode;
use openidconnect::core::{CoreHmacKey, CoreJwsSigningAlgorithm};
use openidconnect::PrivateSigningKey;
use p256::ecdsa::signature::Signer;
use p256::ecdsa::{Signature, SigningKey};
use rocket::figment::Figment;
use rocket::form::Form;
use rocket::http::Status;
use rocket::serde::json::{json, Value};
use rocket::{get, post, routes};
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

pub const CLIENT_ID: &str = "starter";
pub const CLIENT_SECRET: &str = "starter-secret";

/// What a tenant publishes and answers.
#[derive(Default)]
pub struct Tenant {
    /// The token endpoint's next answer: status and JSON body.
    pub token: Option<(u16, String)>,
    /// The token request last received: its form and `Authorization`.
    pub token_request: Option<(HashMap<String, String>, Option<String>)>,
    /// Keys in the JWKS from the first fetch on, and from the second on.
    pub keys: Vec<Value>,
    pub keys_later: Vec<Value>,
    pub jwks_fetches: u32,
    /// The issuer the discovery document names, when it lies.
    pub claimed_issuer: Option<String>,
}

pub struct Forger {
    port: u16,
    /// The key the tenants publish (kid `published`) and one nobody does.
    pub published: SigningKey,
    pub stranger: SigningKey,
    tenants: Mutex<HashMap<String, Tenant>>,
}

static FORGER: OnceLock<Forger> = OnceLock::new();

fn random_key() -> SigningKey {
    use rand::RngCore;
    loop {
        let mut secret = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut secret);
        if let Ok(key) = SigningKey::from_slice(&secret) {
            return key;
        }
    }
}

/// The forger, listening from first use until the test binary exits.
pub fn forger() -> &'static Forger {
    FORGER.get_or_init(|| {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let figment = Figment::from(rocket::Config::debug_default())
            .merge(("port", port))
            .merge(("address", "127.0.0.1"))
            .merge(("log_level", "off"))
            .merge(("workers", 2))
            .merge(("shutdown.ctrlc", false));
        std::thread::spawn(move || {
            let server = rocket::custom(figment).mount("/", routes![discovery, jwks, token]);
            let _ = rocket::execute(server.launch());
        });
        for _ in 0..200 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Forger {
                    port,
                    published: random_key(),
                    stranger: random_key(),
                    tenants: Mutex::new(HashMap::new()),
                };
            }
            std::thread::sleep(std::time::Duration::from_millis(25));
        }
        panic!("the forger did not listen on {port}");
    })
}

impl Forger {
    /// A new tenant publishing the `published` key; returns its issuer.
    pub fn tenant(&self) -> String {
        let name = format!("t{}", unique_email().replace(['@', '.'], "-"));
        let tenant = Tenant {
            keys: vec![jwk(&self.published, "published")],
            ..Tenant::default()
        };
        self.tenants.lock().unwrap().insert(name.clone(), tenant);
        self.issuer(&name)
    }

    pub fn issuer(&self, name: &str) -> String {
        format!("http://127.0.0.1:{}/{name}", self.port)
    }

    /// Changes the tenant whose issuer this is.
    pub fn with<T>(&self, issuer: &str, change: impl FnOnce(&mut Tenant) -> T) -> T {
        let name = issuer.rsplit('/').next().unwrap();
        change(self.tenants.lock().unwrap().get_mut(name).unwrap())
    }

    /// The token endpoint answers `id_token` next.
    pub fn answer_with(&self, issuer: &str, id_token: &str) {
        let body = json!({
            "access_token": "forged-access-token",
            "token_type": "Bearer",
            "id_token": id_token,
        });
        self.with(issuer, |t| t.token = Some((200, body.to_string())));
    }
}

/// The public half of `key` as a JWK.
pub fn jwk(key: &SigningKey, kid: &str) -> Value {
    let point = key.verifying_key().to_sec1_point(false);
    let bytes = point.as_bytes();
    json!({
        "kty": "EC", "crv": "P-256", "use": "sig", "alg": "ES256", "kid": kid,
        "x": encode(&bytes[1..33]), "y": encode(&bytes[33..65]),
    })
}

/// The claims an honest tenant would sign for `sub`.
pub fn honest_claims(issuer: &str, nonce: &str, sub: &str, email: &str) -> Value {
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    json!({
        "iss": issuer, "aud": CLIENT_ID, "sub": sub, "nonce": nonce,
        "iat": now, "exp": now + 300,
        "email": email, "email_verified": true,
    })
}

fn signing_input(header: Value, claims: &Value) -> String {
    format!(
        "{}.{}",
        encode(header.to_string().as_bytes()),
        encode(claims.to_string().as_bytes())
    )
}

/// `claims` as a JWS signed ES256 by `key`, naming `kid`.
pub fn es256(key: &SigningKey, kid: &str, claims: &Value) -> String {
    let input = signing_input(json!({"alg": "ES256", "typ": "JWT", "kid": kid}), claims);
    let signature: Signature = key.sign(input.as_bytes());
    format!("{input}.{}", encode(&signature.to_bytes()))
}

/// `claims` signed HS256 with `secret` (the client secret, in the attack).
pub fn hs256(secret: &str, claims: &Value) -> String {
    let input = signing_input(json!({"alg": "HS256", "typ": "JWT"}), claims);
    let signature = CoreHmacKey::new(secret.as_bytes())
        .sign(&CoreJwsSigningAlgorithm::HmacSha256, input.as_bytes())
        .unwrap();
    format!("{input}.{}", encode(&signature))
}

/// `claims` with `alg: none` and no signature.
pub fn unsigned(claims: &Value) -> String {
    format!(
        "{}.",
        signing_input(json!({"alg": "none", "typ": "JWT"}), claims)
    )
}

/// OAuth on with `issuer` as the provider `forged`.
pub fn with_tenant(issuer: &str) -> impl FnOnce(Figment) -> Figment + '_ {
    move |f| {
        f.merge((
            "security.oauth.providers.forged",
            json!({
                "kind": "oidc",
                "issuer": issuer,
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
            }),
        ))
        .merge(("security.oauth.auto_register", true))
    }
}

#[get("/<name>/.well-known/openid-configuration")]
fn discovery(name: &str) -> Option<Value> {
    let forger = forger();
    let mut tenants = forger.tenants.lock().unwrap();
    let tenant = tenants.get_mut(name)?;
    let issuer = forger.issuer(name);
    Some(json!({
        "issuer": tenant.claimed_issuer.clone().unwrap_or_else(|| issuer.clone()),
        "authorization_endpoint": format!("{issuer}/authorize"),
        "token_endpoint": format!("{issuer}/token"),
        "jwks_uri": format!("{issuer}/jwks"),
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["ES256", "RS256", "HS256", "none"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic"],
    }))
}

#[get("/<name>/jwks")]
fn jwks(name: &str) -> Option<Value> {
    let mut tenants = forger().tenants.lock().unwrap();
    let tenant = tenants.get_mut(name)?;
    tenant.jwks_fetches += 1;
    let mut keys = tenant.keys.clone();
    if tenant.jwks_fetches > 1 {
        keys.extend(tenant.keys_later.iter().cloned());
    }
    Some(json!({ "keys": keys }))
}

/// The `Authorization` header, if any.
pub struct Authorization(Option<String>);

#[rocket::async_trait]
impl<'r> rocket::request::FromRequest<'r> for Authorization {
    type Error = ();
    async fn from_request(request: &'r rocket::Request<'_>) -> rocket::request::Outcome<Self, ()> {
        let value = request
            .headers()
            .get_one("Authorization")
            .map(str::to_owned);
        rocket::request::Outcome::Success(Authorization(value))
    }
}

#[post("/<name>/token", data = "<form>")]
fn token(
    name: &str,
    form: Form<HashMap<String, String>>,
    authorization: Authorization,
) -> (Status, (rocket::http::ContentType, String)) {
    let mut tenants = forger().tenants.lock().unwrap();
    let Some(tenant) = tenants.get_mut(name) else {
        return (
            Status::NotFound,
            (rocket::http::ContentType::Text, "".into()),
        );
    };
    tenant.token_request = Some((form.into_inner(), authorization.0));
    let (status, body) = tenant
        .token
        .take()
        .unwrap_or((400, json!({"error": "invalid_grant"}).to_string()));
    let kind = if body.starts_with('{') {
        rocket::http::ContentType::JSON
    } else {
        rocket::http::ContentType::HTML
    };
    (Status::new(status), (kind, body))
}
